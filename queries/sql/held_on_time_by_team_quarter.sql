-- held_on_time_by_team_quarter: reviews held within review_interval_months of the previous plan, per team and quarter.
SELECT quarter, team,
       count(*) FILTER (WHERE held_on_time) AS held_on_time,
       count(held_on_time) AS reviews,
       pct(count(*) FILTER (WHERE held_on_time), count(held_on_time)) AS pct_on_time,
       too_small(count(held_on_time)) AS too_small
FROM scoped_reviews
WHERE in_trend AND held_on_time IS NOT NULL
GROUP BY quarter, team
ORDER BY quarter, team;
