-- plan_quality: one overall verdict per plan version: inadequate if any indicator is inadequate,
-- good if every indicator that applies is good, else incomplete.
-- The counts of verdicts decided at load come from review_facts; the two that depend on today
-- (minutes not yet sent, up_to_date) are added here exactly as plan_indicators decides them.
CREATE OR REPLACE VIEW plan_quality AS
WITH t AS (SELECT coalesce(today_override, current_date) AS today FROM settings),
today_verdicts AS (
    SELECT q.*,
           CASE WHEN q.review_date IS NOT NULL AND q.minutes_sent_date IS NULL
                THEN CASE WHEN t.today > q.minutes_due_date THEN 'inadequate' ELSE 'unknown' END END AS minutes_verdict,
           CASE WHEN q.is_latest_version
                THEN CASE WHEN t.today > q.next_review_due_by THEN 'inadequate' ELSE 'good' END END AS up_to_date_verdict
    FROM review_facts q CROSS JOIN t
),
counted AS (
    SELECT *,
           fixed_good + (up_to_date_verdict IS NOT DISTINCT FROM 'good')::INTEGER AS indicators_good,
           fixed_inadequate + (minutes_verdict IS NOT DISTINCT FROM 'inadequate')::INTEGER
               + (up_to_date_verdict IS NOT DISTINCT FROM 'inadequate')::INTEGER AS indicators_inadequate,
           fixed_unknown + (minutes_verdict IS NOT DISTINCT FROM 'unknown')::INTEGER AS indicators_unknown
    FROM today_verdicts
)
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter,
       CASE WHEN indicators_inadequate > 0 THEN 'inadequate'
            WHEN indicators_unknown = 0 THEN 'good'
            ELSE 'incomplete' END AS overall,
       indicators_good, indicators_inadequate, indicators_unknown
FROM counted;
