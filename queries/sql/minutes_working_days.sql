-- minutes_working_days: how many working days after the review the minutes were sent (minutes sent in the period).
SELECT minutes_working_days AS working_days, team, count(*) AS reviews,
       minutes_working_days > (SELECT minutes_due_working_days FROM settings) AS late
FROM scoped_reviews
WHERE in_period AND minutes_working_days IS NOT NULL
GROUP BY ALL
ORDER BY working_days, team;
