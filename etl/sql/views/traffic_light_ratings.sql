-- traffic_light_ratings: one row per answered stage of a "Rate your review" form.
-- A form links to its plan version by plan_id, else by person_key + review_date; it links as soon as that plan is loaded.
CREATE OR REPLACE VIEW traffic_light_ratings AS
WITH review_versions AS (
    SELECT person_key, review_date, arg_max(plan_id, plan_date) AS plan_id
    FROM plan_versions WHERE review_date IS NOT NULL
    GROUP BY person_key, review_date
),
linked AS (
    SELECT f.response_id, f.person_key, f.submitted_date,
           coalesce(f.plan_id, rv.plan_id) AS plan_id,
           coalesce(f.review_date, pv.review_date, pv.plan_date) AS review_date,
           pv.team, pv.local_authority, pv.nation
    FROM traffic_light_forms f
    LEFT JOIN review_versions rv ON f.plan_id IS NULL AND rv.person_key = f.person_key AND rv.review_date = f.review_date
    LEFT JOIN plan_versions pv ON pv.plan_id = coalesce(f.plan_id, rv.plan_id)
)
SELECT l.response_id, l.person_key, l.plan_id, l.team, l.local_authority, l.nation,
       l.review_date, q.quarter, l.submitted_date,
       a.stage_no, s.stage, a.rating,
       CASE a.rating WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 END AS score,
       a.comment
FROM linked l
JOIN traffic_light_answers a ON a.response_id = l.response_id AND a.rating IS NOT NULL
JOIN stages s ON s.stage_no = a.stage_no
LEFT JOIN calendar q ON q.day = l.review_date;
