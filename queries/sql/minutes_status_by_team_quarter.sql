-- minutes_status_by_team_quarter: how review minutes stand, per team and quarter of the review.
SELECT r.quarter, r.team, l.sort_order, l.status_label AS status, count(*) AS reviews,
       sum(count(*)) OVER (PARTITION BY r.quarter, r.team)::BIGINT AS team_reviews,
       pct(count(*), sum(count(*)) OVER (PARTITION BY r.quarter, r.team)) AS pct,
       too_small(sum(count(*)) OVER (PARTITION BY r.quarter, r.team)) AS too_small
FROM scoped_reviews r JOIN minutes_status_labels l USING (minutes_status)
WHERE r.in_trend
GROUP BY r.quarter, r.team, l.sort_order, l.status_label
ORDER BY r.quarter, r.team, l.sort_order;
