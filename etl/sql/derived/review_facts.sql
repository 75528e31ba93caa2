-- review_facts: the parts of `reviews` that do not depend on today, computed once per load
-- (window functions over every plan version are too slow to repeat on each query at national scale).
-- It also carries the plan version's yes/no answers, so plan_verdicts is made from this table alone
-- (no second pass over plan_versions) and keeps its date order.
WITH params AS (
    SELECT minutes_due_working_days, due_soon_working_days, review_interval_months FROM settings
),
versions AS (
    SELECT p.*,
           row_number() OVER person_order AS version_no,
           -- the previous version's date: its review_date, or its plan_date for an initial plan
           lag(coalesce(p.review_date, p.plan_date)) OVER person_order AS previous_version_date,
           -- the latest version has no next one (same window as above: one sort, not two)
           lead(p.plan_id) OVER person_order IS NULL AS is_latest_version
    FROM scope_plan_versions p
    WINDOW person_order AS (PARTITION BY p.person_key ORDER BY p.plan_date, p.review_date NULLS FIRST, p.plan_id)
)
SELECT v.plan_id, v.person_key, v.team, v.local_authority, v.nation, v.iro,
       v.plan_date, v.review_date, q.quarter,
       v.review_date IS NULL AS is_initial_plan,
       CAST(v.version_no AS INTEGER) AS version_no,
       v.version_no = 1 AS is_first_version,
       v.is_latest_version,
       v.previous_version_date,
       CASE WHEN v.review_date IS NOT NULL
            THEN CAST(v.previous_version_date + to_months(params.review_interval_months) AS DATE) END AS review_due_date,
       CASE WHEN v.review_date IS NULL OR v.previous_version_date IS NULL THEN NULL
            ELSE v.review_date <= CAST(v.previous_version_date + to_months(params.review_interval_months) AS DATE)
       END AS held_on_time,
       v.minutes_sent_date,
       CASE WHEN v.review_date IS NOT NULL THEN due.day END AS minutes_due_date,
       sent.working_day_number - held.working_day_number AS minutes_working_days,
       -- the status once sent; unsent minutes are outstanding or overdue depending on today (see the view)
       CASE WHEN v.review_date IS NULL OR v.minutes_sent_date IS NULL THEN NULL
            WHEN sent.working_day_number - held.working_day_number <= params.minutes_due_working_days THEN 'on_time'
            WHEN sent.working_day_number - held.working_day_number > params.minutes_due_working_days THEN 'late'
       END AS minutes_sent_status,
       due_soon.day AS minutes_due_soon_from,
       v.next_review_date,
       CAST(greatest(v.plan_date, coalesce(v.review_date, v.plan_date)) + to_months(params.review_interval_months) AS DATE)
           AS next_review_due_by,
       v.yp_views_recorded, v.long_term_goals, v.copy_given_to_yp,
       v.covers_personal_adviser, v.covers_contact_support, v.covers_accommodation, v.covers_post18_arrangement,
       v.covers_education_training, v.covers_employment, v.covers_relationships,
       v.covers_independent_living_skills, v.covers_finance, v.covers_health, v.covers_contingency
FROM versions v
CROSS JOIN params
LEFT JOIN calendar held ON held.day = v.review_date
LEFT JOIN calendar sent ON sent.day = v.minutes_sent_date
LEFT JOIN calendar due ON due.is_working_day
     AND due.working_day_number = held.working_day_number + params.minutes_due_working_days
LEFT JOIN calendar due_soon ON due_soon.is_working_day
     AND due_soon.working_day_number = held.working_day_number + params.minutes_due_working_days - params.due_soon_working_days
LEFT JOIN calendar q ON q.day = coalesce(v.review_date, v.plan_date)
ORDER BY coalesce(v.review_date, v.plan_date), v.team;
