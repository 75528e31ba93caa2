-- reviews: one row per plan version (initial plan or review) with the statutory timeliness rules.
-- Everything that depends on today is computed when queried (settings.today_override is for tests only).
CREATE OR REPLACE VIEW reviews AS
WITH params AS (
    SELECT coalesce(today_override, current_date) AS today, minutes_due_working_days,
           due_soon_working_days, review_interval_months
    FROM settings
),
versions AS (
    SELECT p.*,
           row_number() OVER person_order AS version_no,
           -- the previous version's date: its review_date, or its plan_date for an initial plan
           lag(coalesce(p.review_date, p.plan_date)) OVER person_order AS previous_version_date,
           row_number() OVER person_order = count(*) OVER (PARTITION BY p.person_key) AS is_latest_version
    FROM plan_versions p
    WINDOW person_order AS (PARTITION BY p.person_key ORDER BY p.plan_date, p.review_date NULLS FIRST, p.plan_id)
),
timed AS (
    SELECT v.*, params.*,
           CAST(v.previous_version_date + to_months(params.review_interval_months) AS DATE) AS review_due_date,
           sent.working_day_number - held.working_day_number AS minutes_working_days,
           due.day AS minutes_due_date,
           due_soon.day AS due_soon_from,
           q.quarter
    FROM versions v
    CROSS JOIN params
    LEFT JOIN calendar held ON held.day = v.review_date
    LEFT JOIN calendar sent ON sent.day = v.minutes_sent_date
    LEFT JOIN calendar due ON due.is_working_day
         AND due.working_day_number = held.working_day_number + params.minutes_due_working_days
    LEFT JOIN calendar due_soon ON due_soon.is_working_day
         AND due_soon.working_day_number = held.working_day_number + params.minutes_due_working_days - params.due_soon_working_days
    LEFT JOIN calendar q ON q.day = coalesce(v.review_date, v.plan_date)
)
SELECT
    plan_id, person_key, team, local_authority, nation, iro,
    plan_date, review_date, quarter,
    review_date IS NULL AS is_initial_plan,
    version_no,
    version_no = 1 AS is_first_version,
    is_latest_version,
    previous_version_date,
    CASE WHEN review_date IS NOT NULL THEN review_due_date END AS review_due_date,
    CASE WHEN review_date IS NULL OR previous_version_date IS NULL THEN NULL
         ELSE review_date <= review_due_date END AS held_on_time,
    minutes_sent_date,
    CASE WHEN review_date IS NOT NULL THEN minutes_due_date END AS minutes_due_date,
    minutes_working_days,
    CASE WHEN review_date IS NULL THEN NULL
         WHEN minutes_sent_date IS NOT NULL AND minutes_working_days IS NULL THEN NULL
         WHEN minutes_sent_date IS NOT NULL THEN
              CASE WHEN minutes_working_days <= minutes_due_working_days THEN 'on_time' ELSE 'late' END
         WHEN minutes_due_date IS NULL THEN NULL
         WHEN today > minutes_due_date THEN 'overdue'
         ELSE 'outstanding' END AS minutes_status,
    -- outstanding minutes whose due date falls within the next few working days
    (review_date IS NOT NULL AND minutes_sent_date IS NULL AND today <= minutes_due_date
        AND today >= due_soon_from) AS minutes_due_soon,
    next_review_date,
    CAST(greatest(plan_date, coalesce(review_date, plan_date)) + to_months(review_interval_months) AS DATE)
        AS next_review_due_by,
    CASE WHEN is_latest_version THEN
         today > CAST(greatest(plan_date, coalesce(review_date, plan_date)) + to_months(review_interval_months) AS DATE)
    END AS out_of_date
FROM timed;
