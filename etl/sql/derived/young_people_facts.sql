-- key: person_key
-- refreshed for: touched_persons
-- depends on: review_facts
-- young_people_facts: one row per young person, from their plan versions in review_facts: team, authority and
-- nation of the latest version; the facts worked out over all their versions, which review_facts keeps on the first
-- version (nothing here depends on today). The exact date of birth stays here, for the age rules; the public view
-- young_people shows the month only (SPEC 3).
SELECT person_key,
       any_value(team) FILTER (WHERE is_latest_version) AS team,
       any_value(local_authority) FILTER (WHERE is_latest_version) AS local_authority,
       any_value(nation) FILTER (WHERE is_latest_version) AS nation,
       any_value(date_of_birth) FILTER (WHERE is_first_version) AS date_of_birth,
       any_value(first_plan_date) FILTER (WHERE is_first_version) AS first_plan_date,
       any_value(needs_assessment_date) FILTER (WHERE is_first_version) AS needs_assessment_date,
       any_value(eligibility_date) FILTER (WHERE is_first_version) AS eligibility_date,
       -- the latest version's number is how many there are
       CAST(max(version_no) FILTER (WHERE is_latest_version) AS BIGINT) AS plan_versions,
       any_value(start_due_date) FILTER (WHERE is_first_version) AS start_due_date,
       any_value(started_on_time) FILTER (WHERE is_first_version) AS started_on_time
-- only the first and latest versions say anything here: the others are passed over before the grouping
FROM refresh_review_facts
WHERE is_first_version OR is_latest_version
GROUP BY person_key
