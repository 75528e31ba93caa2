-- key: response_id
-- refreshed for: touched_forms
-- depends on: (base tables only)
-- changed rows go to: rated_forms
-- form_links: each "Rate your review" form and the plan version it belongs to, recomputed at every load,
-- so a form loaded before its plan links as soon as the plan arrives.
-- A form links by plan_id, else by person_key + review_date.
WITH review_versions AS (
    SELECT person_key, review_date, arg_max(plan_id, plan_date) AS plan_id
    FROM plan_versions WHERE review_date IS NOT NULL AND person_key IN (SELECT person_key FROM refresh_forms)
    GROUP BY person_key, review_date
),
linked AS (
    SELECT f.response_id, f.person_key, f.submitted_date,
           coalesce(f.plan_id, rv.plan_id) AS plan_id,
           coalesce(f.review_date, pv.review_date, pv.plan_date) AS review_date,
           pv.team, pv.local_authority, pv.nation, pv.iro
    FROM refresh_forms f
    LEFT JOIN review_versions rv ON f.plan_id IS NULL AND rv.person_key = f.person_key AND rv.review_date = f.review_date
    LEFT JOIN plan_versions pv ON pv.plan_id = coalesce(f.plan_id, rv.plan_id)
)
SELECT l.*, q.quarter
FROM linked l LEFT JOIN calendar q ON q.day = l.review_date;
