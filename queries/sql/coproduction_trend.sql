-- coproduction_trend: score by quarter, per stage ($by = 'stage') or per team ($by = 'team').
-- Grouped first, labelled after: building the stage label on each of millions of ratings cost more than the grouping.
SELECT quarter,
       CASE WHEN $by = 'stage' THEN stage_label(sort_order, stage) ELSE team END AS "group",
       sort_order, ratings, coproduction_score(mean_score) AS score, too_small(ratings) AS too_small
FROM (
    SELECT quarter,
           CASE WHEN $by = 'stage' THEN stage_no ELSE 0 END AS sort_order,
           CASE WHEN $by = 'stage' THEN NULL ELSE team END AS team,
           any_value(stage) AS stage,           -- one wording per stage number
           count(*) AS ratings,
           avg(score) AS mean_score
    FROM scoped_ratings
    WHERE in_trend AND quarter IS NOT NULL AND ($by = 'stage' OR team IS NOT NULL)
    GROUP BY ALL
)
ORDER BY quarter, sort_order, "group";
