-- indicator_facts: the verdicts that do not depend on today, computed at load time.
-- plan_indicators (the view) adds the ones that do: minutes not yet sent, and up_to_date.
CREATE OR REPLACE TABLE indicator_facts AS
WITH params AS (SELECT minutes_due_working_days, review_interval_months FROM settings),
plans AS (
    SELECT r.plan_id, r.person_key, r.team, r.local_authority, r.nation, r.iro, r.plan_date, r.review_date, r.quarter,
           r.is_first_version, r.is_latest_version, r.held_on_time, r.review_due_date,
           r.minutes_sent_status, r.minutes_sent_date, r.minutes_working_days, r.minutes_due_date,
           pv.yp_views_recorded, pv.long_term_goals, pv.copy_given_to_yp, pv.covers_contingency,
           list_filter([
               CASE WHEN pv.covers_personal_adviser = false THEN 'personal adviser' END,
               CASE WHEN pv.covers_contact_support = false THEN 'contact and support' END,
               CASE WHEN pv.covers_accommodation = false THEN 'accommodation' END,
               CASE WHEN pv.covers_post18_arrangement = false THEN 'post-18 arrangement' END,
               CASE WHEN pv.covers_education_training = false THEN 'education and training' END,
               CASE WHEN pv.covers_employment = false THEN 'employment' END,
               CASE WHEN pv.covers_relationships = false THEN 'relationships' END,
               CASE WHEN pv.covers_independent_living_skills = false THEN 'independent living skills' END,
               CASE WHEN pv.covers_finance = false THEN 'finance' END,
               CASE WHEN pv.covers_health = false THEN 'health' END,
               CASE WHEN pv.covers_contingency = false THEN 'contingency' END], lambda x: x IS NOT NULL) AS areas_missing,
           list_filter([
               CASE WHEN pv.covers_personal_adviser IS NULL THEN 'personal adviser' END,
               CASE WHEN pv.covers_contact_support IS NULL THEN 'contact and support' END,
               CASE WHEN pv.covers_accommodation IS NULL THEN 'accommodation' END,
               CASE WHEN pv.covers_post18_arrangement IS NULL THEN 'post-18 arrangement' END,
               CASE WHEN pv.covers_education_training IS NULL THEN 'education and training' END,
               CASE WHEN pv.covers_employment IS NULL THEN 'employment' END,
               CASE WHEN pv.covers_relationships IS NULL THEN 'relationships' END,
               CASE WHEN pv.covers_independent_living_skills IS NULL THEN 'independent living skills' END,
               CASE WHEN pv.covers_finance IS NULL THEN 'finance' END,
               CASE WHEN pv.covers_health IS NULL THEN 'health' END,
               CASE WHEN pv.covers_contingency IS NULL THEN 'contingency' END], lambda x: x IS NOT NULL) AS areas_unknown
    FROM review_facts r JOIN plan_versions pv USING (plan_id)
),
action_counts AS (
    SELECT p.plan_id, count(*) AS actions,
           count(*) FILTER (WHERE a.owner IS NULL OR a.due_date IS NULL) AS actions_not_smart
    FROM plan_versions p
    JOIN actions a ON a.plan_id = p.plan_id OR (a.plan_id IS NULL AND a.person_key = p.person_key AND a.plan_date = p.plan_date)
    GROUP BY p.plan_id
),
-- An authority whose actions were never exported cannot be judged on actions: unknown, not inadequate.
-- (With one authority this is SPEC 3.1's "unknown when no actions export was ever loaded".)
authorities_with_actions AS (
    SELECT DISTINCT p.local_authority FROM plan_versions p JOIN action_counts USING (plan_id)
),
verdicts AS (
    SELECT plan_id, 'yp_voice' AS indicator,
           CASE yp_views_recorded WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END AS verdict,
           CASE yp_views_recorded WHEN true THEN 'The young person''s views are recorded in the plan'
                WHEN false THEN 'The plan does not record the young person''s views'
                ELSE 'Not recorded in the export whether the young person''s views are in the plan' END AS reason
    FROM plans
    UNION ALL
    SELECT plan_id, 'contingency',
           CASE covers_contingency WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END,
           CASE covers_contingency WHEN true THEN 'The plan has a contingency plan'
                WHEN false THEN 'The plan has no contingency plan'
                ELSE 'Not recorded in the export whether the plan has a contingency plan' END
    FROM plans
    UNION ALL
    SELECT plan_id, 'all_areas',
           CASE WHEN len(areas_missing) > 0 THEN 'inadequate' WHEN len(areas_unknown) > 0 THEN 'unknown' ELSE 'good' END,
           CASE WHEN len(areas_missing) > 0 THEN 'Not covered: ' || array_to_string(areas_missing, ', ')
                WHEN len(areas_unknown) > 0 THEN 'Not recorded whether the plan covers: ' || array_to_string(areas_unknown, ', ')
                ELSE 'All eleven required areas are covered' END
    FROM plans
    UNION ALL
    SELECT p.plan_id, 'smart_actions',
           CASE WHEN e.local_authority IS NULL THEN 'unknown'
                WHEN coalesce(ac.actions, 0) = 0 OR ac.actions_not_smart > 0 THEN 'inadequate'
                ELSE 'good' END,
           CASE WHEN e.local_authority IS NULL THEN 'No actions export has been loaded for ' || p.local_authority
                WHEN coalesce(ac.actions, 0) = 0 THEN 'The plan has no actions'
                WHEN ac.actions_not_smart > 0 THEN ac.actions_not_smart || ' of ' || ac.actions || ' actions have no owner or no due date'
                ELSE 'All ' || ac.actions || ' actions have an owner and a due date' END
    FROM plans p LEFT JOIN authorities_with_actions e ON e.local_authority = p.local_authority
    LEFT JOIN action_counts ac ON ac.plan_id = p.plan_id
    UNION ALL
    SELECT plan_id, 'aspirational',
           CASE long_term_goals WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END,
           CASE long_term_goals WHEN true THEN 'The plan records long-term goals'
                WHEN false THEN 'The plan has no long-term goals'
                ELSE 'Not recorded in the export whether the plan has long-term goals' END
    FROM plans
    UNION ALL
    SELECT plan_id, 'copy_to_yp',
           CASE copy_given_to_yp WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END,
           CASE copy_given_to_yp WHEN true THEN 'The young person was given a copy of the plan'
                WHEN false THEN 'The young person was not given a copy of the plan'
                ELSE 'Not recorded in the export whether the young person was given a copy' END
    FROM plans
    UNION ALL
    SELECT plan_id, 'reviewed_in_time',
           CASE held_on_time WHEN true THEN 'good' ELSE 'inadequate' END,
           CASE WHEN held_on_time THEN 'Review held on ' || strftime(review_date, '%d/%m/%Y') || ', by the due date ' || strftime(review_due_date, '%d/%m/%Y')
                ELSE 'Review held on ' || strftime(review_date, '%d/%m/%Y') || ', after the due date ' || strftime(review_due_date, '%d/%m/%Y')
                     || ' (' || params.review_interval_months || ' months after the previous plan)' END
    FROM plans CROSS JOIN params
    WHERE review_date IS NOT NULL AND held_on_time IS NOT NULL
    UNION ALL
    SELECT plan_id, 'minutes_on_time',
           CASE minutes_sent_status WHEN 'on_time' THEN 'good' WHEN 'late' THEN 'inadequate' ELSE 'unknown' END,
           CASE WHEN minutes_sent_status IS NOT NULL
                THEN 'Minutes sent ' || minutes_working_days || ' working days after the review (due within ' || params.minutes_due_working_days || ')'
                ELSE 'Working days cannot be counted for these dates' END
    FROM plans CROSS JOIN params
    WHERE review_date IS NOT NULL AND minutes_sent_date IS NOT NULL
    UNION ALL
    SELECT p.plan_id, 'started_on_time',
           CASE y.started_on_time WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END,
           CASE WHEN y.date_of_birth IS NULL THEN 'Date of birth not in the export, so the start cannot be checked'
                WHEN y.nation = 'Wales' THEN
                     CASE WHEN y.needs_assessment_date IS NOT NULL THEN 'Needs assessment ' ELSE 'First plan ' END
                     || strftime(coalesce(y.needs_assessment_date, y.first_plan_date), '%d/%m/%Y')
                     || CASE WHEN y.started_on_time THEN ', within ' ELSE ', later than ' END
                     || 'the due date ' || strftime(y.start_due_date, '%d/%m/%Y') || ' (3 months after the 16th birthday, Wales)'
                ELSE 'First plan ' || strftime(y.first_plan_date, '%d/%m/%Y')
                     || CASE WHEN y.started_on_time THEN ' was before ' ELSE ' was not before ' END
                     || 'the 16th birthday (' || strftime(y.start_due_date, '%d/%m/%Y') || ', England)' END
    FROM plans p JOIN young_people_facts y USING (person_key)
    WHERE p.is_first_version
)
SELECT p.plan_id, p.person_key, p.team, p.local_authority, p.nation, p.iro, p.plan_date, p.review_date, p.quarter,
       v.indicator, v.verdict, v.reason
FROM verdicts v JOIN plans p USING (plan_id)
ORDER BY coalesce(p.review_date, p.plan_date), p.team;
