-- care_leaver_snapshots: one row per young person per care-leaver list loaded (Annex A List 9, SSDA903 OC3, SSD
-- ssd_care_leavers), with its codes in plain words (sql/care_leaver_codes.sql) and the three outcomes every corporate
-- parenting panel watches. The team is the list's, else the team of the young person's latest plan version; the date
-- of birth the list's, else the plan export's, and shown as the month only (SPEC 3): the age at the list's date is
-- worked out here from the exact date, which stays in the base tables.
CREATE OR REPLACE VIEW care_leaver_snapshots AS
WITH codes AS (SELECT * FROM care_leaver_codes),
r AS (
    SELECT c.*, coalesce(c.date_of_birth, y.date_of_birth) AS dob, y.team AS plan_team, y.nation AS plan_nation
    FROM care_leaver_records c LEFT JOIN young_people_facts y USING (person_key)
)
SELECT r.person_key, r.local_authority, coalesce(r.plan_nation, r.nation) AS nation,
       coalesce(r.team, r.plan_team, 'No team given') AS team,
       r.snapshot_date, cal.quarter,
       r.eligibility, el.meaning AS eligibility_meaning, r.owed_pathway_plan,
       r.uasc,
       CAST(date_trunc('month', r.dob) AS DATE) AS birth_month,
       date_sub('year', r.dob, r.snapshot_date) AS age,
       -- the DfE publishes care leavers' outcomes for ages 17 to 18 and 19 to 21
       CASE WHEN r.dob IS NULL THEN 'Age not known'
            WHEN date_sub('year', r.dob, r.snapshot_date) < 17 THEN '16 or under'
            WHEN date_sub('year', r.dob, r.snapshot_date) <= 18 THEN '17 to 18'
            WHEN date_sub('year', r.dob, r.snapshot_date) <= 21 THEN '19 to 21'
            ELSE '22 and over' END AS age_band,
       r.in_touch, it.meaning AS in_touch_meaning, it.grp AS in_touch_group, it.counts AS is_in_touch,
       r.latest_contact_date,
       r.accommodation, ac.meaning AS accommodation_meaning, r.accommodation_suitable,
       r.activity, av.meaning AS activity_meaning, av.grp AS activity_group, av.counts AS in_education_employment_training,
       r.personal_adviser, r.latest_plan_date,
       r.source_file
FROM r
LEFT JOIN calendar cal ON cal.day = r.snapshot_date
LEFT JOIN codes el ON el.field = 'eligibility' AND el.code = r.eligibility
LEFT JOIN codes it ON it.field = 'in_touch' AND it.code = r.in_touch
LEFT JOIN codes ac ON ac.field = 'accommodation' AND ac.code = r.accommodation
LEFT JOIN codes av ON av.field = 'activity' AND av.code = r.activity;
