-- filter_options: the nations, authorities and teams the user may choose from (of plans and of care-leaver lists).
SELECT DISTINCT nation, local_authority, team FROM (
    SELECT nation, local_authority, team FROM scoped_reviews
    UNION SELECT nation, local_authority, team FROM scoped_care_leaver_snapshots
)
ORDER BY nation, local_authority, team;
