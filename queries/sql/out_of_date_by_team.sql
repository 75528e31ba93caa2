-- out_of_date_by_team: young people whose latest plan is out of date today, per team (their current team).
SELECT team, count(*) AS young_people,
       count(*) FILTER (WHERE out_of_date) AS out_of_date,
       pct(count(*) FILTER (WHERE out_of_date), count(*)) AS pct_out_of_date,
       too_small(count(*)) AS too_small
FROM scoped_reviews
WHERE is_latest_version
GROUP BY team
ORDER BY team;
