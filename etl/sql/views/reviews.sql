-- reviews: one row per plan version (initial plan or review) with the statutory timeliness rules.
-- Everything that depends on today is computed here, when queried (settings.today_override is for tests only);
-- the rest is in review_facts, computed at load time.
CREATE OR REPLACE VIEW reviews AS
SELECT
    r.plan_id, r.person_key, r.team, r.local_authority, r.nation, r.iro,
    r.plan_date, r.review_date, r.quarter,
    r.is_initial_plan, r.version_no, r.is_first_version, r.is_latest_version,
    r.previous_version_date, r.review_due_date, r.held_on_time,
    r.minutes_sent_date, r.minutes_due_date, r.minutes_working_days,
    CASE WHEN r.review_date IS NULL THEN NULL
         WHEN r.minutes_sent_date IS NOT NULL THEN r.minutes_sent_status
         WHEN r.minutes_due_date IS NULL THEN NULL
         WHEN t.today > r.minutes_due_date THEN 'overdue'
         ELSE 'outstanding' END AS minutes_status,
    -- outstanding minutes whose due date falls within the next few working days
    (r.review_date IS NOT NULL AND r.minutes_sent_date IS NULL
        AND t.today <= r.minutes_due_date AND t.today >= r.minutes_due_soon_from) AS minutes_due_soon,
    r.next_review_date,
    r.next_review_due_by,
    CASE WHEN r.is_latest_version THEN t.today > r.next_review_due_by END AS out_of_date
FROM review_facts r
CROSS JOIN (SELECT coalesce(today_override, current_date) AS today FROM settings) t;
