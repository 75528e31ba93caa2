-- response_rate: reviews held in the period with at least one "Rate your review" form returned ÷ reviews held,
-- per team and in all (SPEC 3: never above 100%, however many forms one review gets). Forms per review is a
-- separate figure: every form linked to those reviews ÷ reviews held.
WITH held AS (
    SELECT team, plan_id FROM scoped_reviews WHERE in_period AND review_date IS NOT NULL
),
forms AS (
    SELECT plan_id, count(*) AS forms FROM scoped_responses WHERE plan_id IS NOT NULL GROUP BY plan_id
),
per_review AS (
    SELECT h.team, coalesce(f.forms, 0) AS forms
    FROM held h LEFT JOIN forms f USING (plan_id)
)
SELECT CASE WHEN grouping(team) = 1 THEN 'All teams' ELSE team END AS team,
       count(*) FILTER (WHERE forms > 0) AS reviews_with_form,
       count(*) AS reviews_held,
       sum(forms)::BIGINT AS forms_returned,
       pct(count(*) FILTER (WHERE forms > 0), count(*)) AS response_rate,
       round(sum(forms) / count(*), 2) AS forms_per_review,
       too_small(count(*)) AS too_small,
       grouping(team) + 1 AS sort_order
FROM per_review
GROUP BY GROUPING SETS ((team), ())
ORDER BY sort_order, team;
