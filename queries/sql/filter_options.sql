-- filter_options: the nations, authorities and teams the user may choose from.
SELECT DISTINCT nation, local_authority, team
FROM scoped_reviews
ORDER BY nation, local_authority, team;
