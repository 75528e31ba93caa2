-- key: person_key
-- refreshed for: touched_persons
-- depends on: review_facts
-- young_people_facts: one row per young person, from their latest plan version in review_facts, which carries
-- the facts worked out over all their versions (nothing here depends on today). The exact date of birth stays
-- here, for the age rules; the public view young_people shows the month only (SPEC 3).
SELECT person_key, person_team AS team, person_local_authority AS local_authority, person_nation AS nation,
       person_date_of_birth AS date_of_birth, person_first_plan_date AS first_plan_date,
       person_needs_assessment_date AS needs_assessment_date, person_eligibility_date AS eligibility_date,
       person_plan_versions AS plan_versions,
       person_start_due_date AS start_due_date, person_started_on_time AS started_on_time
FROM scope_review_facts
WHERE is_latest_version
