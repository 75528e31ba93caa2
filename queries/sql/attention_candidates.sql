-- attention_candidates: for each kind of problem, its rate by team (or stage / indicator) in the period.
-- queries.attention() keeps the worst few with enough cases to compare and words them.
SELECT 'minutes' AS kind, team AS subject, NULL::VARCHAR AS detail,
       count(*) FILTER (WHERE minutes_status IN ('late', 'overdue')) AS bad,
       count(*) FILTER (WHERE minutes_due(minutes_status)) AS n,
       count(*) FILTER (WHERE minutes_status = 'overdue') AS extra
FROM scoped_reviews WHERE in_period GROUP BY team
UNION ALL
SELECT 'held_late', team, NULL,
       count(*) FILTER (WHERE NOT held_on_time), count(held_on_time), NULL
FROM scoped_reviews WHERE in_period GROUP BY team
UNION ALL
SELECT 'out_of_date', team, NULL,
       count(*) FILTER (WHERE out_of_date), count(*), NULL
FROM scoped_reviews WHERE is_latest_version GROUP BY team
UNION ALL
SELECT 'stage', stage_no::VARCHAR, any_value(stage),
       -- "bad" share for a stage: how far the score falls short of 100, as a count-weighted figure
       sum(2 - score), 2 * count(*), count(*) FILTER (WHERE rating = 'red')
FROM scoped_ratings WHERE in_period GROUP BY stage_no
UNION ALL
SELECT 'indicator', l.indicator_label, NULL,
       count(*) FILTER (WHERE verdict = 'inadequate'), count(*) FILTER (WHERE verdict IN ('good', 'inadequate')), NULL
FROM scoped_plan_indicators i JOIN indicator_labels l USING (indicator)
-- Two indicators are the same fact as a kind above (minutes sent on time, review held in time): left out
-- here, or one fact would fill two of the few items (issue 22).
WHERE in_period AND indicator NOT IN ('minutes_on_time', 'reviewed_in_time')
GROUP BY l.indicator_label;
