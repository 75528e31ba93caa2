-- care_leavers: each young person's latest care-leaver list row (per authority), with whether they are on their
-- authority's latest list (the current cohort) and what plan versions are loaded for them. Birth month only (SPEC 3).
CREATE OR REPLACE VIEW care_leavers AS
WITH latest AS (
    SELECT * FROM care_leaver_snapshots
    QUALIFY row_number() OVER (PARTITION BY local_authority, person_key ORDER BY snapshot_date DESC) = 1
),
list_dates AS (SELECT local_authority, max(snapshot_date) AS latest_list_date FROM care_leaver_records GROUP BY ALL)
SELECT l.person_key, l.local_authority, l.nation, l.team, l.snapshot_date, l.quarter,
       l.snapshot_date = d.latest_list_date AS on_latest_list,
       l.eligibility, l.eligibility_meaning, l.owed_pathway_plan, l.uasc, l.birth_month, l.age, l.age_band,
       l.in_touch, l.in_touch_meaning, l.is_in_touch, l.latest_contact_date,
       l.accommodation, l.accommodation_meaning, l.accommodation_suitable,
       l.activity, l.activity_meaning, l.activity_group, l.in_education_employment_training,
       l.personal_adviser, l.latest_plan_date,
       coalesce(y.plan_versions, 0) AS plan_versions_loaded
FROM latest l
JOIN list_dates d USING (local_authority)
LEFT JOIN young_people_facts y USING (person_key);
