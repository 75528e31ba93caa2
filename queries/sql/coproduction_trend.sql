-- coproduction_trend: score by quarter, per stage ($by = 'stage') or per team ($by = 'team').
SELECT quarter,
       CASE WHEN $by = 'stage' THEN stage_no::VARCHAR || '. ' || stage ELSE team END AS "group",
       CASE WHEN $by = 'stage' THEN stage_no ELSE 0 END AS sort_order,
       count(*) AS ratings,
       round(50.0 * avg(score), 1) AS score,
       too_small(count(*)) AS too_small
FROM scoped_ratings
WHERE in_trend AND quarter IS NOT NULL AND ($by = 'stage' OR team IS NOT NULL)
GROUP BY ALL
ORDER BY quarter, sort_order, "group";
