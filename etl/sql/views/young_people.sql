-- young_people: one row per young person (pseudonymised); team, authority and nation from their latest plan version.
-- A date of birth identifies a young person: this view gives the month only (birth_month, the first of the month,
-- SPEC 3), and the start's due date as a month too, since the 16th birthday is the date of birth plus 16 years.
CREATE OR REPLACE VIEW young_people AS
SELECT person_key, team, local_authority, nation,
       CAST(date_trunc('month', date_of_birth) AS DATE) AS birth_month,
       first_plan_date, needs_assessment_date, eligibility_date, plan_versions,
       CAST(date_trunc('month', start_due_date) AS DATE) AS start_due_month,
       started_on_time
FROM young_people_facts;
