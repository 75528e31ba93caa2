-- coproduction_by_stage: per stage, how many ratings were red / amber / green, and the score.
SELECT stage_no, any_value(stage) AS stage,
       count(*) AS ratings,
       count(*) FILTER (WHERE rating = 'red') AS red,
       count(*) FILTER (WHERE rating = 'amber') AS amber,
       count(*) FILTER (WHERE rating = 'green') AS green,
       pct(count(*) FILTER (WHERE rating = 'red'), count(*)) AS pct_red,
       pct(count(*) FILTER (WHERE rating = 'amber'), count(*)) AS pct_amber,
       pct(count(*) FILTER (WHERE rating = 'green'), count(*)) AS pct_green,
       coproduction_score(avg(score)) AS score,
       too_small(count(*)) AS too_small
FROM scoped_ratings
WHERE in_period
GROUP BY stage_no
ORDER BY stage_no;
