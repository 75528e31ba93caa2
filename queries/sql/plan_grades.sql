-- plan_grades: how many plans (versions agreed) had each overall grade (SPEC 3.1), long and labelled: a row per group
-- and grade ($grades: queries.GRADES), every grade in every group. $by = 'team': per team and all teams ("group"
-- 'All teams', is_total), in the period; $by = 'quarter': per quarter, in the trend. The page draws these rows as they
-- are; the table behind a chart is these rows spread a column per grade (queries/shapes.py).
-- One pass over the plans (group x grade); the totals are added up from those few rows.
WITH counted AS MATERIALIZED (
    SELECT "group", overall, count(*) AS plans
    FROM (SELECT CASE WHEN $by = 'team' THEN team ELSE quarter END AS "group", overall
          FROM scoped_plan_quality
          WHERE CASE WHEN $by = 'team' THEN in_period ELSE in_trend END)
    GROUP BY ALL
),
with_total AS (
    SELECT "group", 0 AS is_total, overall, plans FROM counted
    UNION ALL
    SELECT NULL, 1, overall, sum(plans)::BIGINT FROM counted WHERE $by = 'team' GROUP BY overall
),
groups AS (
    SELECT "group", 0 AS is_total, sum(plans)::BIGINT AS plans FROM counted GROUP BY "group"
    UNION ALL
    -- all teams even when there are no plans (a row of zeros, as the page expects)
    SELECT * FROM (SELECT NULL, 1, coalesce(sum(plans), 0)::BIGINT FROM counted) WHERE $by = 'team'
)
SELECT CASE WHEN g.is_total = 1 THEN 'All teams' ELSE g."group" END AS "group", g.is_total::BIGINT AS is_total,
       l.result AS grade, l.result_label AS grade_label, g.plans,
       coalesce(c.plans, 0) AS count, pct(coalesce(c.plans, 0), g.plans) AS pct, too_small(g.plans) AS too_small
FROM groups g
CROSS JOIN result_labels l
LEFT JOIN with_total c ON c.is_total = g.is_total AND c."group" IS NOT DISTINCT FROM g."group" AND c.overall = l.result
WHERE list_contains($grades, l.result)
ORDER BY g.is_total, g."group", l.sort_order;
