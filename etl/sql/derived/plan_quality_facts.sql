-- plan_quality_facts: per plan version, the count of each verdict among the indicators that do not depend on
-- today, with what the plan_quality view needs to add the two that do (minutes not yet sent, up_to_date).
CREATE OR REPLACE TABLE plan_quality_facts AS
SELECT r.plan_id, r.person_key, r.team, r.local_authority, r.nation, r.iro, r.plan_date, r.review_date, r.quarter,
       r.minutes_sent_date, r.minutes_due_date, r.is_latest_version, r.next_review_due_by,
       count(i.verdict) FILTER (WHERE i.verdict = 'good') AS fixed_good,
       count(i.verdict) FILTER (WHERE i.verdict = 'inadequate') AS fixed_inadequate,
       count(i.verdict) FILTER (WHERE i.verdict = 'unknown') AS fixed_unknown
FROM review_facts r
LEFT JOIN indicator_facts i ON i.plan_id = r.plan_id
GROUP BY r.plan_id, r.person_key, r.team, r.local_authority, r.nation, r.iro, r.plan_date, r.review_date, r.quarter,
         r.minutes_sent_date, r.minutes_due_date, r.is_latest_version, r.next_review_due_by
ORDER BY coalesce(r.review_date, r.plan_date), r.team;
