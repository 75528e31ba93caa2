-- indicator_verdicts: per indicator (and team, and all teams) how many plans were good, inadequate or unknown, long and
-- labelled: a row per indicator, team and verdict ($verdicts: queries.VERDICTS), every verdict in every group.
WITH counted AS (
    SELECT indicator, team, verdict, grouping(team) AS is_total, grouping(verdict) AS all_verdicts, count(*) AS plans
    FROM scoped_plan_indicators
    WHERE in_period
    GROUP BY GROUPING SETS ((indicator, team, verdict), (indicator, team), (indicator, verdict), (indicator))
)
SELECT il.sort_order, g.indicator, il.indicator_label,
       CASE WHEN g.is_total = 1 THEN 'All teams' ELSE g.team END AS team, g.is_total,
       l.result AS verdict, l.result_label AS verdict_label, g.plans,
       coalesce(c.plans, 0) AS count, pct(coalesce(c.plans, 0), g.plans) AS pct, too_small(g.plans) AS too_small
FROM counted g
JOIN indicator_labels il USING (indicator)
CROSS JOIN result_labels l
LEFT JOIN counted c ON c.all_verdicts = 0 AND c.indicator = g.indicator AND c.is_total = g.is_total
                   AND c.team IS NOT DISTINCT FROM g.team AND c.verdict = l.result
WHERE g.all_verdicts = 1 AND list_contains($verdicts, l.result)
ORDER BY il.sort_order, g.is_total, team, l.sort_order;
