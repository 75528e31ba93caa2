-- without_plan: young people owed a pathway plan with none loaded, or none in date (SPEC 6b), at case level; today's
-- view of the authority's latest list, not tied to the period. $limit: the first rows only (NULL = all).
SELECT CASE plan_status WHEN 'no_plan' THEN 'No plan loaded' ELSE 'Plan out of date' END AS status,
       team, person_key AS young_person, local_authority, eligibility_meaning AS eligibility, age_band, personal_adviser,
       reason, latest_plan_id, latest_plan_loaded, next_review_due_by, list_latest_plan_date, snapshot_date,
       count(*) OVER () AS total_rows
FROM scoped_without_plan
WHERE case_visible
ORDER BY plan_status, team, next_review_due_by NULLS FIRST, person_key
LIMIT $limit;
