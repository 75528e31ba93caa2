-- headline: the overview's figures for the period, each with its numerator and denominator.
WITH period_reviews AS (SELECT * FROM scoped_reviews WHERE in_period),
period_ratings AS (SELECT * FROM scoped_ratings WHERE in_period),
period_quality AS (SELECT * FROM scoped_plan_quality WHERE in_period)
SELECT 1 AS sort_order, 'reviews_held' AS metric, 'Reviews held' AS label,
       count(*)::DOUBLE AS value, count(*) AS numerator, NULL::BIGINT AS denominator, 'count' AS unit
FROM period_reviews WHERE review_date IS NOT NULL
UNION ALL
SELECT 2, 'held_on_time', 'Reviews held on time',
       pct(count(*) FILTER (WHERE held_on_time), count(held_on_time)),
       count(*) FILTER (WHERE held_on_time), count(held_on_time), 'percent'
FROM period_reviews
UNION ALL
SELECT 3, 'minutes_on_time', 'Minutes sent on time',
       pct(count(*) FILTER (WHERE minutes_status = 'on_time'), count(*) FILTER (WHERE minutes_due(minutes_status))),
       count(*) FILTER (WHERE minutes_status = 'on_time'),
       count(*) FILTER (WHERE minutes_due(minutes_status)), 'percent'
FROM period_reviews
UNION ALL
SELECT 4, 'plans_good', 'Plans rated good',
       pct(count(*) FILTER (WHERE overall = 'good'), count(*)),
       count(*) FILTER (WHERE overall = 'good'), count(*), 'percent'
FROM period_quality
UNION ALL
-- SPEC 3.1: inadequate = out of date, no voice, vague steps or not aspirational
SELECT 5, 'plans_inadequate', 'Plans rated inadequate',
       pct(count(*) FILTER (WHERE overall = 'inadequate'), count(*)),
       count(*) FILTER (WHERE overall = 'inadequate'), count(*), 'percent'
FROM period_quality
UNION ALL
SELECT 6, 'coproduction_score', 'Co-production score (0–100)',
       coproduction_score(avg(score)), NULL, count(*), 'score'
FROM period_ratings
UNION ALL
SELECT 7, 'pct_green', 'Ratings that are green',
       pct(count(*) FILTER (WHERE rating = 'green'), count(*)),
       count(*) FILTER (WHERE rating = 'green'), count(*), 'percent'
FROM period_ratings
UNION ALL
-- SPEC 3: reviews with at least one form returned, not forms (two forms for one review is still one review)
SELECT 8, 'response_rate', 'Reviews the young person rated',
       pct(count(*) FILTER (WHERE plan_id IN (SELECT plan_id FROM scoped_responses)), count(*)),
       count(*) FILTER (WHERE plan_id IN (SELECT plan_id FROM scoped_responses)), count(*), 'percent'
FROM period_reviews WHERE review_date IS NOT NULL
ORDER BY sort_order;
