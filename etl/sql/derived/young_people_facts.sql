-- young_people_facts: one row per young person, computed at load time (nothing here depends on today).
WITH params AS (
    SELECT england_start_age, wales_start_age, wales_assessment_months FROM settings
),
per_person AS (
    SELECT person_key,
           arg_max(date_of_birth, plan_date) FILTER (WHERE date_of_birth IS NOT NULL) AS date_of_birth,
           -- given dates win; else the earliest plan loaded
           coalesce(min(first_plan_date), min(plan_date)) AS first_plan_date,
           min(needs_assessment_date) AS needs_assessment_date,
           count(*) AS plan_versions
    FROM scope_plan_versions
    GROUP BY person_key
),
-- team, authority and nation of the latest version, as review_facts orders a person's versions
latest AS (
    SELECT person_key, team, local_authority, nation FROM scope_review_facts WHERE is_latest_version
)
SELECT p.person_key, l.team, l.local_authority, l.nation, p.date_of_birth,
       p.first_plan_date, p.needs_assessment_date, p.plan_versions,
       CASE l.nation
            WHEN 'Wales' THEN CAST(p.date_of_birth + to_years(params.wales_start_age)
                                   + to_months(params.wales_assessment_months) AS DATE)
            ELSE CAST(p.date_of_birth + to_years(params.england_start_age) AS DATE)
       END AS start_due_date,
       CASE WHEN p.date_of_birth IS NULL THEN NULL
            WHEN l.nation = 'Wales' THEN coalesce(p.needs_assessment_date, p.first_plan_date)
                 <= CAST(p.date_of_birth + to_years(params.wales_start_age) + to_months(params.wales_assessment_months) AS DATE)
            ELSE p.first_plan_date < CAST(p.date_of_birth + to_years(params.england_start_age) AS DATE)
       END AS started_on_time
FROM per_person p JOIN latest l USING (person_key) CROSS JOIN params;
