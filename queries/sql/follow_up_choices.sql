-- follow_up_choices: the teams, IROs, workers (personal advisers and social workers) and stages of the red and
-- amber answers the user may see at case level in the period, for the follow-up list's filters.
WITH answers AS (
    SELECT f.team, f.iro, pv.personal_adviser, pv.social_worker, r.stage_no, r.stage
    FROM scoped_follow_up_forms f
    JOIN scoped_ratings r ON r.response_id = f.response_id AND r.rating IN ('red', 'amber')
    LEFT JOIN plan_versions pv ON pv.plan_id = f.plan_id
    WHERE f.in_period AND f.case_visible
)
SELECT DISTINCT 'team' AS choice, team AS value, NULL::INTEGER AS stage_no FROM answers WHERE team IS NOT NULL
UNION ALL SELECT DISTINCT 'iro', iro, NULL FROM answers WHERE iro IS NOT NULL
UNION ALL SELECT DISTINCT 'worker', personal_adviser, NULL FROM answers WHERE personal_adviser IS NOT NULL
UNION ALL SELECT DISTINCT 'worker', social_worker, NULL FROM answers WHERE social_worker IS NOT NULL
UNION ALL SELECT DISTINCT 'stage', stage, stage_no FROM answers
ORDER BY choice, stage_no, value;
