-- coproduction_stage_team: co-production score (50 x mean of red 0 / amber 1 / green 2) per stage and team.
SELECT stage_no, any_value(stage) AS stage, stage_label(stage_no, any_value(stage)) AS stage_label, team,
       count(*) AS ratings,
       coproduction_score(avg(score)) AS score,
       pct(count(*) FILTER (WHERE rating = 'red'), count(*)) AS pct_red,
       pct(count(*) FILTER (WHERE rating = 'amber'), count(*)) AS pct_amber,
       pct(count(*) FILTER (WHERE rating = 'green'), count(*)) AS pct_green,
       too_small(count(*)) AS too_small
FROM scoped_ratings
WHERE in_period AND team IS NOT NULL
GROUP BY stage_no, team
ORDER BY stage_no, team;
