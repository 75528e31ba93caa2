-- plan_grades: how many plans (versions agreed) had each overall grade (SPEC 3.1), long and labelled: a row per group
-- and grade ($grades: queries.GRADES), every grade in every group. $by = 'team': per team and all teams ("group" 'All teams', is_total), in the
-- period; $by = 'quarter': per quarter, in the trend. The page draws these rows as they are; the table behind a chart
-- is these rows spread a column per grade (queries.spread).
WITH counted AS (
    SELECT "group", overall, grouping("group") AS is_total, grouping(overall) AS all_grades, count(*) AS plans
    FROM (SELECT CASE WHEN $by = 'team' THEN team ELSE quarter END AS "group", overall
          FROM scoped_plan_quality
          WHERE CASE WHEN $by = 'team' THEN in_period ELSE in_trend END)
    GROUP BY GROUPING SETS (("group", overall), ("group"), (overall), ())
)
SELECT CASE WHEN g.is_total = 1 THEN 'All teams' ELSE g."group" END AS "group", g.is_total,
       l.result AS grade, l.result_label AS grade_label, g.plans,
       coalesce(c.plans, 0) AS count, pct(coalesce(c.plans, 0), g.plans) AS pct, too_small(g.plans) AS too_small
FROM counted g
CROSS JOIN result_labels l
LEFT JOIN counted c ON c.all_grades = 0 AND c.is_total = g.is_total AND c."group" IS NOT DISTINCT FROM g."group"
                   AND c.overall = l.result
WHERE g.all_grades = 1 AND list_contains($grades, l.result) AND ($by = 'team' OR g.is_total = 0)
ORDER BY g.is_total, g."group", l.sort_order;
