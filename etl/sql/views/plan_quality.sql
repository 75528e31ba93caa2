-- plan_quality: one overall verdict per plan version: inadequate if any indicator is inadequate,
-- good if every indicator that applies is good, else incomplete.
CREATE OR REPLACE VIEW plan_quality AS
SELECT plan_id, any_value(person_key) AS person_key, any_value(team) AS team,
       any_value(local_authority) AS local_authority, any_value(nation) AS nation,
       any_value(plan_date) AS plan_date, any_value(quarter) AS quarter,
       CASE WHEN count(*) FILTER (WHERE verdict = 'inadequate') > 0 THEN 'inadequate'
            WHEN count(*) FILTER (WHERE verdict <> 'good') = 0 THEN 'good'
            ELSE 'incomplete' END AS overall,
       count(*) FILTER (WHERE verdict = 'good') AS indicators_good,
       count(*) FILTER (WHERE verdict = 'inadequate') AS indicators_inadequate,
       count(*) FILTER (WHERE verdict = 'unknown') AS indicators_unknown
FROM plan_indicators
GROUP BY plan_id;
