-- young_people: one row per young person (pseudonymised); team, authority and nation from their latest plan version.
CREATE OR REPLACE VIEW young_people AS
SELECT person_key, team, local_authority, nation, date_of_birth, first_plan_date, needs_assessment_date,
       plan_versions, start_due_date, started_on_time
FROM young_people_facts;
