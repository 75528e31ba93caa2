-- indicator_verdicts: per indicator (and team, and all teams) how many plans were good, inadequate or unknown, long and
-- labelled: a row per indicator, team and verdict ($verdicts: queries.VERDICTS), every verdict in every group.
-- One pass over the indicators (indicator x team x verdict); the totals are added up from those few rows.
WITH counted AS MATERIALIZED (
    SELECT indicator, team, verdict, count(*) AS plans
    FROM scoped_plan_indicators
    WHERE in_period
    GROUP BY ALL
),
with_total AS (
    SELECT indicator, team, 0 AS is_total, verdict, plans FROM counted
    UNION ALL
    SELECT indicator, NULL, 1, verdict, sum(plans)::BIGINT FROM counted GROUP BY indicator, verdict
),
groups AS (
    SELECT indicator, team, is_total, sum(plans)::BIGINT AS plans FROM with_total GROUP BY ALL
)
SELECT il.sort_order, g.indicator, il.indicator_label,
       CASE WHEN g.is_total = 1 THEN 'All teams' ELSE g.team END AS team, g.is_total::BIGINT AS is_total,
       l.result AS verdict, l.result_label AS verdict_label, g.plans,
       coalesce(c.plans, 0) AS count, pct(coalesce(c.plans, 0), g.plans) AS pct, too_small(g.plans) AS too_small
FROM groups g
JOIN indicator_labels il USING (indicator)
CROSS JOIN result_labels l
LEFT JOIN with_total c ON c.indicator = g.indicator AND c.is_total = g.is_total AND c.team IS NOT DISTINCT FROM g.team
                       AND c.verdict = l.result
WHERE list_contains($verdicts, l.result)
ORDER BY il.sort_order, g.is_total, team, l.sort_order;
