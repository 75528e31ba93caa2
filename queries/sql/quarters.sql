-- quarters: every financial quarter with a review, plan, traffic-light form or care-leaver list the user may see,
-- newest first.
SELECT quarter FROM (
    SELECT quarter FROM scoped_reviews
    UNION SELECT quarter FROM scoped_ratings
    UNION SELECT quarter FROM scoped_care_leaver_snapshots
) WHERE quarter IS NOT NULL
ORDER BY quarter DESC;
