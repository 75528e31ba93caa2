-- quarters: every financial quarter with a review, plan or traffic-light form the user may see, newest first.
SELECT quarter FROM (
    SELECT quarter FROM scoped_reviews
    UNION SELECT quarter FROM scoped_ratings
) WHERE quarter IS NOT NULL
ORDER BY quarter DESC;
