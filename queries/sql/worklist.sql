-- worklist: review minutes needing action, for the IRO ($iro, NULL = every IRO the user may see):
-- not sent and overdue, not sent and due within the next few working days (both as of today, whatever
-- the period), and sent late (reviews in the period). Case level. $limit: the first rows only (NULL = all).
-- Order (issue 22): what is due in the next few working days first (soonest first), then overdue, most recent first,
-- then sent late; minutes overdue since more than $gap_months months ago come last, as probably a recording gap
-- (sent but never recorded) rather than work to chase today.
WITH today AS (
    SELECT c.day, c.working_day_number, c.day - to_months($gap_months) AS gap_before
    FROM settings s JOIN calendar c ON c.day = coalesce(s.today_override, current_date)
),
listed AS (
SELECT
    r.*,
    CASE WHEN r.minutes_status = 'overdue' AND r.minutes_due_date < t.gap_before THEN 4
         WHEN r.minutes_status = 'overdue' THEN 2 WHEN r.minutes_due_soon THEN 1 ELSE 3 END AS priority,
    t.working_day_number AS today_number, held.working_day_number AS held_number, due.working_day_number AS due_number
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
)
SELECT
    CASE priority WHEN 1 THEN 'Due soon: not sent' WHEN 2 THEN 'Overdue: not sent' WHEN 3 THEN 'Sent late'
                  ELSE 'Overdue for months: probably a recording gap' END AS action_needed,
    priority, iro, team, person_key AS young_person, plan_id, local_authority,
    review_date, minutes_due_date, minutes_sent_date,
    coalesce(minutes_working_days, today_number - held_number) AS working_days_since_review,
    CASE WHEN minutes_sent_date IS NULL THEN due_number - today_number END AS working_days_left,
    quarter,
    -- the whole list's size and counts, so a page can fetch only its first rows ($limit; NULL = all).
    -- count(CASE ...), not count(*) FILTER: a FILTER on a window aggregate is ~15x slower here (duckdb 2.0).
    count(*) OVER () AS total_rows,
    count(CASE WHEN priority = 2 THEN 1 END) OVER () AS overdue_rows,
    count(CASE WHEN priority = 1 THEN 1 END) OVER () AS due_soon_rows,
    count(CASE WHEN priority = 3 THEN 1 END) OVER () AS sent_late_rows,
    count(CASE WHEN priority = 4 THEN 1 END) OVER () AS recording_gap_rows
FROM listed
-- a total order: the page's first rows are the download's
ORDER BY priority,
         CASE WHEN priority = 1 THEN minutes_due_date END,           -- due soonest first
         CASE WHEN priority IN (2, 4) THEN minutes_due_date END DESC, -- overdue: most recent first
         review_date DESC, team, plan_id
LIMIT $limit;
