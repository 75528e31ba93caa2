-- plan_indicators: one verdict (good / inadequate / unknown) per plan version and indicator, with its reason.
-- An indicator that does not apply to a plan has no row (SPEC 3.1).
-- Verdicts that do not depend on today were decided at load (review_facts); those that do (minutes not yet
-- sent, up_to_date) are decided here, when queried, and so is smart_actions, which depends on whether the plan's
-- authority has loaded an actions export (a load of other plans can change that). Reasons are written here, only
-- for the rows a query reads. plan_quality decides the same verdicts the same way (a test holds them together).
CREATE OR REPLACE VIEW plan_indicators AS
WITH t AS (
    SELECT coalesce(today_override, current_date) AS today, minutes_due_working_days, review_interval_months
    FROM settings
),
-- SPEC 3.1: smart_actions is unknown until the plan's local authority has loaded an actions export, i.e. until an
-- action is linked to a plan of that authority.
authorities_with_actions AS (SELECT DISTINCT local_authority FROM review_facts WHERE actions > 0),
-- NOT MATERIALIZED: thirteen branches read p; inlined, each branch gets the query's filters pushed down.
p AS NOT MATERIALIZED (SELECT * FROM review_facts CROSS JOIN t),
verdicts AS (
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 1 AS sort_order, 'yp_voice' AS indicator, yp_voice AS verdict,
           CASE yp_views_recorded WHEN true THEN 'The young person''s views are recorded in the plan'
                WHEN false THEN 'The plan does not record the young person''s views'
                ELSE 'Not recorded in the export whether the young person''s views are in the plan' END AS reason
    FROM p
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 2, 'contingency', contingency,
           CASE covers_contingency WHEN true THEN 'The plan has a contingency plan'
                WHEN false THEN 'The plan has no contingency plan'
                ELSE 'Not recorded in the export whether the plan has a contingency plan' END
    FROM p
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 3, 'all_areas', all_areas,
           CASE all_areas
                WHEN 'good' THEN 'All ten required areas besides contingency are covered'
                WHEN 'inadequate' THEN 'Not covered: ' || array_to_string(list_filter([
                    CASE WHEN NOT covers_personal_adviser THEN 'personal adviser' END,
                    CASE WHEN NOT covers_contact_support THEN 'contact and support' END,
                    CASE WHEN NOT covers_accommodation THEN 'accommodation' END,
                    CASE WHEN NOT covers_post18_arrangement THEN 'post-18 arrangement' END,
                    CASE WHEN NOT covers_education_training THEN 'education and training' END,
                    CASE WHEN NOT covers_employment THEN 'employment' END,
                    CASE WHEN NOT covers_relationships THEN 'relationships' END,
                    CASE WHEN NOT covers_independent_living_skills THEN 'independent living skills' END,
                    CASE WHEN NOT covers_finance THEN 'finance' END,
                    CASE WHEN NOT covers_health THEN 'health' END], lambda x: x IS NOT NULL), ', ')
                ELSE 'Not recorded whether the plan covers: ' || array_to_string(list_filter([
                    CASE WHEN covers_personal_adviser IS NULL THEN 'personal adviser' END,
                    CASE WHEN covers_contact_support IS NULL THEN 'contact and support' END,
                    CASE WHEN covers_accommodation IS NULL THEN 'accommodation' END,
                    CASE WHEN covers_post18_arrangement IS NULL THEN 'post-18 arrangement' END,
                    CASE WHEN covers_education_training IS NULL THEN 'education and training' END,
                    CASE WHEN covers_employment IS NULL THEN 'employment' END,
                    CASE WHEN covers_relationships IS NULL THEN 'relationships' END,
                    CASE WHEN covers_independent_living_skills IS NULL THEN 'independent living skills' END,
                    CASE WHEN covers_finance IS NULL THEN 'finance' END,
                    CASE WHEN covers_health IS NULL THEN 'health' END], lambda x: x IS NOT NULL), ', ')
           END
    FROM p
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 4, 'smart_actions',
           CASE WHEN NOT actions_loaded THEN 'unknown'
                WHEN actions = 0 OR actions_not_smart > 0 THEN 'inadequate' ELSE 'good' END,
           CASE WHEN NOT actions_loaded THEN 'No actions export has been loaded for ' || coalesce(local_authority, 'this authority')
                                             || ', so actions cannot be judged'
                WHEN actions = 0 THEN 'The plan has no actions'
                WHEN actions_not_smart > 0 THEN actions_not_smart || ' of ' || actions || ' actions have no owner or no due date'
                ELSE 'All ' || actions || ' actions have an owner and a due date' END
    FROM (SELECT *, coalesce(local_authority IN (SELECT local_authority FROM authorities_with_actions), false) AS actions_loaded
          FROM p)
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 5, 'aspirational', aspirational,
           CASE long_term_goals WHEN true THEN 'The plan records long-term goals'
                WHEN false THEN 'The plan has no long-term goals'
                ELSE 'Not recorded in the export whether the plan has long-term goals' END
    FROM p
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 6, 'copy_to_yp', copy_to_yp,
           CASE copy_given_to_yp WHEN true THEN 'The young person was given a copy of the plan'
                WHEN false THEN 'The young person was not given a copy of the plan'
                ELSE 'Not recorded in the export whether the young person was given a copy' END
    FROM p
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 7, 'reviewed_in_time', reviewed_in_time,
           'Review held on ' || strftime(review_date, '%d/%m/%Y')
           || CASE WHEN held_on_time THEN ', by the due date ' || strftime(review_due_date, '%d/%m/%Y')
                   ELSE ', after the due date ' || strftime(review_due_date, '%d/%m/%Y')
                        || ' (' || review_interval_months || ' months after the previous plan)' END
    FROM p
    WHERE reviewed_in_time IS NOT NULL
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 8, 'minutes_on_time',
           coalesce(minutes_sent, CASE WHEN today > minutes_due_date THEN 'inadequate' ELSE 'unknown' END),
           CASE WHEN minutes_sent_status IS NOT NULL
                    THEN 'Minutes sent ' || minutes_working_days || ' working days after the review (due within '
                         || minutes_due_working_days || ')'
                WHEN minutes_sent_date IS NOT NULL OR minutes_due_date IS NULL
                    THEN 'Working days cannot be counted for these dates'
                WHEN today > minutes_due_date THEN 'Minutes not sent; they were due by ' || strftime(minutes_due_date, '%d/%m/%Y')
                ELSE 'Minutes not sent yet; due by ' || strftime(minutes_due_date, '%d/%m/%Y') END
    FROM p
    WHERE review_date IS NOT NULL
    UNION ALL
    -- No exact date of birth or 16th birthday in a reason: the view is public (SPEC 3); the month is enough.
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 9, 'started_on_time', started_on_time_v,
           CASE WHEN start_date IS NULL
                    THEN 'The first plan is not in the loaded history (the earliest version loaded is a review) and the '
                         || 'export gives no first plan date' || CASE WHEN nation = 'Wales' THEN ' or needs assessment date' ELSE '' END
                         || ', so the start cannot be checked'
                WHEN start_due_date IS NULL THEN 'Date of birth not in the export, so the start cannot be checked'
                ELSE CASE WHEN nation = 'Wales' AND needs_assessment_date IS NOT NULL THEN 'Needs assessment ' ELSE 'First plan ' END
                     || strftime(start_date, '%d/%m/%Y')
                     || CASE WHEN late_entrant
                             THEN CASE WHEN started_on_time THEN ', within ' ELSE ', more than ' END || start_months
                                  || ' months after the young person became eligible on ' || strftime(eligibility_date, '%d/%m/%Y')
                                  || ' (due by ' || strftime(start_due_date, '%d/%m/%Y') || ')'
                             WHEN nation = 'Wales'
                             THEN CASE WHEN started_on_time THEN ', within ' ELSE ', more than ' END || start_months
                                  || ' months after the ' || start_age || 'th birthday (due in ' || strftime(start_due_date, '%B %Y')
                                  || ', Wales)'
                             ELSE CASE WHEN started_on_time THEN ', before ' ELSE ', not before ' END
                                  || 'the ' || start_age || 'th birthday (in ' || strftime(start_due_date, '%B %Y') || ', England)'
                        END
           END
    FROM p
    WHERE is_first_version
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 10, 'up_to_date',
           CASE WHEN today > next_review_due_by THEN 'inadequate' ELSE 'good' END,
           CASE WHEN today > next_review_due_by THEN 'Out of date: the next review was due by ' || strftime(next_review_due_by, '%d/%m/%Y')
                ELSE 'Up to date: next review due by ' || strftime(next_review_due_by, '%d/%m/%Y') END
    FROM p
    WHERE is_latest_version
    UNION ALL
    -- the guide's stage 9: asked whether the minutes are accurate before they are sent; a draft at the meeting's end
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 11, 'minutes_agreed', minutes_agreed,
           CASE yp_agreed_minutes WHEN true THEN 'The young person was asked whether the minutes were accurate'
                WHEN false THEN 'The young person was not asked whether the minutes were accurate'
                ELSE 'Not recorded in the export whether the young person was asked to agree the minutes' END
    FROM p
    WHERE review_date IS NOT NULL
    UNION ALL
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 12, 'draft_copy', draft_copy,
           CASE draft_copy_given WHEN true THEN 'The young person was given a draft of the plan at the end of the meeting'
                WHEN false THEN 'The young person was not given a draft of the plan at the meeting'
                ELSE 'Not recorded in the export whether a draft of the plan was given at the meeting' END
    FROM p
    WHERE review_date IS NOT NULL
    UNION ALL
    -- the guide's stage 10: the next review date set before the meeting ends
    SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter, 13, 'next_review_set', next_review_set,
           CASE WHEN next_review_date IS NOT NULL
                THEN 'Next review set for ' || strftime(next_review_date, '%d/%m/%Y')
                     || CASE WHEN next_review_set = 'good' THEN ', within ' ELSE ', later than ' END
                     || review_interval_months || ' months of the ' || CASE WHEN review_date IS NULL THEN 'plan' ELSE 'review' END
                     || ' (by ' || strftime(next_review_latest_allowed, '%d/%m/%Y') || ')'
                WHEN next_review_in_export THEN 'No date set for the next review'
                ELSE 'The export this plan came from gives no next review dates' END
    FROM p
)
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter,
       indicator, verdict, reason
FROM verdicts;
