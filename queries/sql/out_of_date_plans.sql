-- out_of_date_plans: the young people whose plan is out of date today, longest overdue first. Case level.
-- $limit: the first rows only (NULL = all); total_rows is the whole list's length.
WITH today AS (SELECT coalesce(today_override, current_date) AS day FROM settings)
SELECT team, person_key AS young_person, iro, plan_id, plan_date, review_date AS last_review_date,
       next_review_due_by AS review_was_due_by,
       (SELECT day FROM today) - next_review_due_by AS days_overdue,
       -- the whole list's length from a count, not count(*) OVER (): a window over every row keeps them all,
       -- where the first $limit rows need only a top-N
       (SELECT count(*) FROM scoped_reviews
        WHERE is_latest_version AND out_of_date AND case_visible AND ($iro IS NULL OR iro = $iro)) AS total_rows
FROM scoped_reviews
WHERE is_latest_version AND out_of_date AND case_visible AND ($iro IS NULL OR iro = $iro)
ORDER BY days_overdue DESC, team, plan_id
LIMIT $limit;
