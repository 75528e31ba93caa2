-- indicators_by_team: per indicator (and team, and all teams) how many plans were good, inadequate or unknown.
SELECT any_value(l.sort_order) AS sort_order, i.indicator, any_value(l.indicator_label) AS indicator_label,
       CASE WHEN grouping(i.team) = 1 THEN 'All teams' ELSE i.team END AS team,
       grouping(i.team) AS is_total,
       count(*) AS plans,
       count(*) FILTER (WHERE verdict = 'good') AS good,
       count(*) FILTER (WHERE verdict = 'inadequate') AS inadequate,
       count(*) FILTER (WHERE verdict = 'unknown') AS unknown,
       pct(count(*) FILTER (WHERE verdict = 'good'), count(*)) AS pct_good,
       pct(count(*) FILTER (WHERE verdict = 'inadequate'), count(*)) AS pct_inadequate,
       pct(count(*) FILTER (WHERE verdict = 'unknown'), count(*)) AS pct_unknown,
       too_small(count(*)) AS too_small
FROM scoped_plan_indicators i JOIN indicator_labels l USING (indicator)
WHERE i.in_period
GROUP BY GROUPING SETS ((i.indicator, i.team), (i.indicator))
ORDER BY sort_order, is_total, team;
