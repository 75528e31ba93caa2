-- plan_drilldown: the plans behind a figure, with each indicator's verdict and reason (grade and verdict in words).
-- Case level.
-- $team, $overall (good / requires_improvement / inadequate / incomplete), $indicator, $verdict: NULL = any.
SELECT q.team, q.person_key AS young_person, q.plan_id, q.plan_date, q.review_date, q.quarter,
       coalesce(g.result_label, q.overall) AS plan_result, q.overall_reason AS plan_reason, l.indicator_label AS indicator,
       coalesce(v.result_label, i.verdict) AS verdict, i.reason, l.sort_order
FROM scoped_plan_quality q
-- i.in_period too (the same plan version, so the same period): it narrows the indicators before the join
JOIN scoped_plan_indicators i ON i.plan_id = q.plan_id AND i.in_period
JOIN indicator_labels l ON l.indicator = i.indicator
LEFT JOIN result_labels g ON g.result = q.overall
LEFT JOIN result_labels v ON v.result = i.verdict
WHERE q.in_period AND q.case_visible
  AND ($team IS NULL OR q.team = $team)
  AND ($overall IS NULL OR q.overall = $overall)
  AND ($indicator IS NULL OR q.plan_id IN (
        SELECT plan_id FROM scoped_plan_indicators
        WHERE in_period AND indicator = $indicator AND ($verdict IS NULL OR verdict = $verdict)))
ORDER BY q.team, q.plan_date, q.plan_id, l.sort_order;
