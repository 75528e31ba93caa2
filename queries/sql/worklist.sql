-- worklist: review minutes needing action, for the IRO ($iro, NULL = every IRO the user may see):
-- not sent and overdue, not sent and due within the next few working days (both as of today, whatever
-- the period), and sent late (reviews in the period). Case level. $limit: the first rows only (NULL = all).
WITH today AS (
    SELECT c.day, c.working_day_number
    FROM settings s JOIN calendar c ON c.day = coalesce(s.today_override, current_date)
)
SELECT
    CASE WHEN r.minutes_status = 'overdue' THEN 'Overdue: not sent'
         WHEN r.minutes_due_soon THEN 'Due soon: not sent'
         ELSE 'Sent late' END AS action_needed,
    CASE WHEN r.minutes_status = 'overdue' THEN 1 WHEN r.minutes_due_soon THEN 2 ELSE 3 END AS priority,
    r.iro, r.team, r.person_key AS young_person, r.plan_id,
    r.review_date, r.minutes_due_date, r.minutes_sent_date,
    coalesce(r.minutes_working_days, t.working_day_number - held.working_day_number) AS working_days_since_review,
    CASE WHEN r.minutes_sent_date IS NULL THEN due.working_day_number - t.working_day_number END
        AS working_days_left,
    r.quarter,
    -- the whole list's size and counts, so a page can fetch only its first rows ($limit; NULL = all).
    -- count(CASE ...), not count(*) FILTER: a FILTER on a window aggregate is ~15x slower here (duckdb 2.0).
    count(*) OVER () AS total_rows,
    count(CASE WHEN r.minutes_status = 'overdue' THEN 1 END) OVER () AS overdue_rows,
    count(CASE WHEN r.minutes_status IS DISTINCT FROM 'overdue' AND r.minutes_due_soon THEN 1 END) OVER () AS due_soon_rows,
    count(CASE WHEN r.minutes_status IS DISTINCT FROM 'overdue' AND r.minutes_due_soon IS NOT TRUE THEN 1 END) OVER ()
        AS sent_late_rows
FROM (
    -- minutes not sent (overdue, due soon) and minutes sent late in the period: two branches, so that each can
    -- narrow the scan on stored columns before today's status is worked out (2 M reviews at national scale)
    SELECT * FROM scoped_reviews
    WHERE review_date IS NOT NULL AND minutes_sent_date IS NULL AND (minutes_status = 'overdue' OR minutes_due_soon)
    UNION ALL
    SELECT * FROM scoped_reviews
    WHERE in_period AND minutes_sent_date IS NOT NULL AND minutes_status = 'late'
) r
CROSS JOIN today t
JOIN calendar held ON held.day = r.review_date
LEFT JOIN calendar due ON due.day = r.minutes_due_date
WHERE r.case_visible
  AND ($iro IS NULL OR r.iro = $iro)
ORDER BY priority, working_days_left NULLS LAST, r.review_date, r.team, r.plan_id   -- a total order: the page's first rows are the download's
LIMIT $limit;
