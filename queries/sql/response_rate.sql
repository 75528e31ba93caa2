-- response_rate: "Rate your review" forms returned / reviews held in the period, per team and in all.
WITH forms AS (
    SELECT team, count(*) AS forms_returned
    FROM scoped_responses WHERE in_period AND team IS NOT NULL GROUP BY team
),
held AS (
    SELECT team, count(*) AS reviews_held
    FROM scoped_reviews WHERE in_period AND review_date IS NOT NULL GROUP BY team
),
per_team AS (
    SELECT coalesce(h.team, f.team) AS team, coalesce(f.forms_returned, 0) AS forms_returned,
           coalesce(h.reviews_held, 0) AS reviews_held
    FROM held h FULL JOIN forms f USING (team)
)
SELECT team, forms_returned, reviews_held, pct(forms_returned, reviews_held) AS response_rate,
       too_small(reviews_held) AS too_small, 1 AS sort_order
FROM per_team
UNION ALL
SELECT 'All teams', sum(forms_returned)::BIGINT, sum(reviews_held)::BIGINT, pct(sum(forms_returned), sum(reviews_held)),
       too_small(sum(reviews_held)), 2
FROM per_team HAVING count(*) > 0
ORDER BY sort_order, team;
