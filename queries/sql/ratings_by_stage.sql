-- ratings_by_stage: per stage, how many ratings were red / amber / green, long and labelled: a row per stage and
-- rating, every rating in every stage, with the stage's score (one pass over the ratings: grouping sets).
WITH counted AS (
    SELECT stage_no, rating, grouping(rating) AS all_ratings, any_value(stage) AS stage, count(*) AS ratings,
           avg(score) AS mean_points
    FROM scoped_ratings
    WHERE in_period
    GROUP BY GROUPING SETS ((stage_no, rating), (stage_no))
)
SELECT s.stage_no, s.stage, stage_label(s.stage_no, s.stage) AS stage_label,
       l.rating, l.rating_label, s.ratings, coalesce(c.ratings, 0) AS count, pct(coalesce(c.ratings, 0), s.ratings) AS pct,
       coproduction_score(s.mean_points) AS score, too_small(s.ratings) AS too_small
FROM counted s
CROSS JOIN rating_labels l
LEFT JOIN counted c ON c.all_ratings = 0 AND c.stage_no = s.stage_no AND c.rating = l.rating
WHERE s.all_ratings = 1
ORDER BY s.stage_no, l.sort_order;
