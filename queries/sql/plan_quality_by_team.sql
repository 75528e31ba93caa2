-- plan_quality_by_team: share of plans (versions agreed in the period) by overall grade (good / requires improvement /
-- inadequate / incomplete), per team and in all.
SELECT CASE WHEN grouping(team) = 1 THEN 'All teams' ELSE team END AS team,
       grouping(team) AS is_total,
       count(*) AS plans,
       count(*) FILTER (WHERE overall = 'good') AS good,
       count(*) FILTER (WHERE overall = 'requires_improvement') AS requires_improvement,
       count(*) FILTER (WHERE overall = 'inadequate') AS inadequate,
       count(*) FILTER (WHERE overall = 'incomplete') AS incomplete,
       pct(count(*) FILTER (WHERE overall = 'good'), count(*)) AS pct_good,
       pct(count(*) FILTER (WHERE overall = 'requires_improvement'), count(*)) AS pct_requires_improvement,
       pct(count(*) FILTER (WHERE overall = 'inadequate'), count(*)) AS pct_inadequate,
       pct(count(*) FILTER (WHERE overall = 'incomplete'), count(*)) AS pct_incomplete,
       too_small(count(*)) AS too_small
FROM scoped_plan_quality
WHERE in_period
GROUP BY GROUPING SETS ((team), ())
ORDER BY is_total, team;
