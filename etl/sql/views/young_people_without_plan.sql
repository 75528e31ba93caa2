-- young_people_without_plan: the practice tips' first "what inadequate looks like", "there is no plan" (SPEC 6b).
-- Young people owed a pathway plan (eligible, relevant or former relevant on their authority's latest care-leaver
-- list, and not recorded as died) who have no plan version loaded, or whose latest plan is out of date today.
-- For them the indicator up_to_date is inadequate. Kept apart from plan_indicators, which has one row per plan
-- version: a young person with no plan has no plan to give a row to. Decided when queried (it depends on today).
CREATE OR REPLACE VIEW young_people_without_plan AS
WITH t AS (SELECT coalesce(today_override, current_date) AS today FROM settings),
latest_plan AS (
    SELECT person_key, plan_id, plan_date, review_date, iro, next_review_due_by
    FROM review_facts WHERE is_latest_version
),
owed AS (
    SELECT c.*, p.plan_id, coalesce(p.review_date, p.plan_date) AS latest_plan_loaded, p.iro, p.next_review_due_by
    FROM care_leavers c LEFT JOIN latest_plan p USING (person_key)
    WHERE c.on_latest_list AND c.owed_pathway_plan AND c.in_touch IS DISTINCT FROM 'DIED'
)
SELECT o.person_key, o.local_authority, o.nation, o.team, o.snapshot_date, o.quarter,
       o.eligibility, o.eligibility_meaning, o.age_band, o.personal_adviser, o.iro,
       CASE WHEN o.plan_id IS NULL THEN 'no_plan' ELSE 'out_of_date' END AS plan_status,
       'up_to_date' AS indicator, 'inadequate' AS verdict,
       CASE WHEN o.plan_id IS NULL THEN 'no pathway plan loaded'
            ELSE 'Out of date: the next review was due by ' || strftime(o.next_review_due_by, '%d/%m/%Y') END AS reason,
       o.plan_id AS latest_plan_id, o.latest_plan_loaded, o.next_review_due_by,
       o.latest_plan_date AS list_latest_plan_date
FROM owed o CROSS JOIN t
WHERE o.plan_id IS NULL OR t.today > o.next_review_due_by;
