-- follow_up_counts: forms with a red or amber answer, how many were followed up, and how many within $due_days
-- working days, by quarter (of the review), authority and team. Aggregate counts only: no note, no ID, no name.
-- $trend: the quarters up to the period (for a trend) instead of the period itself.
-- not_yet_due: not followed up and still within the working days allowed (neither late nor in time yet).
SELECT quarter, local_authority, team,
       count(*) AS forms_with_red_or_amber,
       count(followed_up_on) AS followed_up,
       count(*) FILTER (WHERE working_days_to_follow_up <= $due_days) AS followed_up_in_time,
       count(*) FILTER (WHERE followed_up_on IS NULL AND working_days_open <= $due_days) AS not_yet_due,
       count(*) FILTER (WHERE followed_up_on IS NULL AND working_days_open > $due_days) AS overdue
FROM scoped_follow_up_forms
WHERE CASE WHEN $trend THEN in_trend ELSE in_period END
GROUP BY ALL
ORDER BY quarter, local_authority, team;
