-- iros: the IROs whose reviews this user may see at case level.
SELECT DISTINCT iro FROM scoped_reviews WHERE case_visible AND iro IS NOT NULL ORDER BY iro;
