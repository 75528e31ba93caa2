-- plan_indicators: one verdict (good / inadequate / unknown) per plan version and indicator, with its reason.
-- An indicator that does not apply to a plan has no row (SPEC 3.1).
-- Verdicts that do not depend on today come from indicator_facts (computed at load time);
-- the two that do (minutes not yet sent, up_to_date) are computed here, when queried.
CREATE OR REPLACE VIEW plan_indicators AS
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, indicator, verdict, reason
FROM indicator_facts
UNION ALL
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 'minutes_on_time',
       CASE minutes_status WHEN 'overdue' THEN 'inadequate' ELSE 'unknown' END,
       CASE minutes_status WHEN 'overdue' THEN 'Minutes not sent; they were due by ' || strftime(minutes_due_date, '%d/%m/%Y')
            WHEN 'outstanding' THEN 'Minutes not sent yet; due by ' || strftime(minutes_due_date, '%d/%m/%Y')
            ELSE 'Working days cannot be counted for these dates' END
FROM reviews
WHERE review_date IS NOT NULL AND minutes_sent_date IS NULL
UNION ALL
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 'up_to_date',
       CASE WHEN out_of_date THEN 'inadequate' ELSE 'good' END,
       CASE WHEN out_of_date THEN 'Out of date: the next review was due by ' || strftime(next_review_due_by, '%d/%m/%Y')
            ELSE 'Up to date: next review due by ' || strftime(next_review_due_by, '%d/%m/%Y') END
FROM reviews
WHERE is_latest_version;
