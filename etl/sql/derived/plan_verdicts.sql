-- plan_verdicts: one row per plan version with the verdict of every indicator that does not depend on today
-- (NULL where the indicator does not apply) and what the views need to add the rest and to explain each verdict.
-- One wide row per plan keeps the load cheap; plan_indicators (a view) turns it into one row per indicator.
-- Made from review_facts (which carries the plan's yes/no answers) with small joins only, so its rows keep
-- review_facts' date order without a second sort.
WITH action_counts AS (
    SELECT p.plan_id, count(*) AS actions,
           count(*) FILTER (WHERE a.owner IS NULL OR a.due_date IS NULL) AS actions_not_smart
    FROM scope_plan_versions p JOIN plan_actions a USING (plan_id)
    GROUP BY p.plan_id
),
facts AS (
    SELECT r.plan_id, r.person_key, r.team, r.local_authority, r.nation, r.iro, r.plan_date, r.review_date, r.quarter,
           r.is_first_version, r.is_latest_version, r.held_on_time, r.review_due_date,
           r.minutes_sent_date, r.minutes_due_date, r.minutes_sent_status, r.minutes_working_days, r.next_review_due_by,
           r.yp_views_recorded, r.long_term_goals, r.copy_given_to_yp,
           r.covers_personal_adviser, r.covers_contact_support, r.covers_accommodation, r.covers_post18_arrangement,
           r.covers_education_training, r.covers_employment, r.covers_relationships,
           r.covers_independent_living_skills, r.covers_finance, r.covers_health, r.covers_contingency,
           coalesce(ac.actions, 0) AS actions, coalesce(ac.actions_not_smart, 0) AS actions_not_smart,
           e.local_authority IS NOT NULL AS authority_has_actions,
           CASE WHEN r.is_first_version THEN y.date_of_birth END AS date_of_birth,
           CASE WHEN r.is_first_version THEN y.first_plan_date END AS first_plan_date,
           CASE WHEN r.is_first_version THEN y.needs_assessment_date END AS needs_assessment_date,
           CASE WHEN r.is_first_version THEN y.start_due_date END AS start_due_date,
           CASE WHEN r.is_first_version THEN y.started_on_time END AS started_on_time
    FROM scope_review_facts r
    LEFT JOIN action_counts ac ON ac.plan_id = r.plan_id
    LEFT JOIN authorities_with_actions e ON e.local_authority = r.local_authority
    LEFT JOIN young_people_facts y ON r.is_first_version AND y.person_key = r.person_key
),
verdicts AS (
    SELECT *,
        CASE yp_views_recorded WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END AS yp_voice,
        CASE covers_contingency WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END AS contingency,
        CASE WHEN NOT covers_personal_adviser OR NOT covers_contact_support OR NOT covers_accommodation
                  OR NOT covers_post18_arrangement OR NOT covers_education_training OR NOT covers_employment
                  OR NOT covers_relationships OR NOT covers_independent_living_skills OR NOT covers_finance
                  OR NOT covers_health OR NOT covers_contingency THEN 'inadequate'
             WHEN covers_personal_adviser AND covers_contact_support AND covers_accommodation
                  AND covers_post18_arrangement AND covers_education_training AND covers_employment
                  AND covers_relationships AND covers_independent_living_skills AND covers_finance
                  AND covers_health AND covers_contingency THEN 'good'
             ELSE 'unknown' END AS all_areas,
        CASE WHEN NOT authority_has_actions THEN 'unknown'
             WHEN actions = 0 OR actions_not_smart > 0 THEN 'inadequate'
             ELSE 'good' END AS smart_actions,
        CASE long_term_goals WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END AS aspirational,
        CASE copy_given_to_yp WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END AS copy_to_yp,
        CASE WHEN review_date IS NOT NULL AND held_on_time IS NOT NULL
             THEN CASE WHEN held_on_time THEN 'good' ELSE 'inadequate' END END AS reviewed_in_time,
        -- minutes once sent; unsent minutes are judged against today in the views
        CASE WHEN review_date IS NOT NULL AND minutes_sent_date IS NOT NULL
             THEN CASE minutes_sent_status WHEN 'on_time' THEN 'good' WHEN 'late' THEN 'inadequate' ELSE 'unknown' END
        END AS minutes_sent,
        CASE WHEN is_first_version
             THEN CASE started_on_time WHEN true THEN 'good' WHEN false THEN 'inadequate' ELSE 'unknown' END
        END AS started_on_time_verdict
    FROM facts
)
SELECT * EXCLUDE (started_on_time_verdict), started_on_time_verdict AS started_on_time_v,
       -- counts of the verdicts above, for plan_quality; a verdict that does not apply (NULL) counts nowhere.
       -- (Sums, not list_count(list_filter(...)): building a list a row is several times slower.)
       (coalesce(yp_voice = 'good', false)::INTEGER + coalesce(contingency = 'good', false)::INTEGER +
         coalesce(all_areas = 'good', false)::INTEGER + coalesce(smart_actions = 'good', false)::INTEGER +
         coalesce(aspirational = 'good', false)::INTEGER + coalesce(copy_to_yp = 'good', false)::INTEGER +
         coalesce(reviewed_in_time = 'good', false)::INTEGER + coalesce(minutes_sent = 'good', false)::INTEGER +
         coalesce(started_on_time_verdict = 'good', false)::INTEGER) AS fixed_good,
       (coalesce(yp_voice = 'inadequate', false)::INTEGER + coalesce(contingency = 'inadequate', false)::INTEGER +
         coalesce(all_areas = 'inadequate', false)::INTEGER +
         coalesce(smart_actions = 'inadequate', false)::INTEGER +
         coalesce(aspirational = 'inadequate', false)::INTEGER +
         coalesce(copy_to_yp = 'inadequate', false)::INTEGER +
         coalesce(reviewed_in_time = 'inadequate', false)::INTEGER +
         coalesce(minutes_sent = 'inadequate', false)::INTEGER +
         coalesce(started_on_time_verdict = 'inadequate', false)::INTEGER) AS fixed_inadequate,
       (coalesce(yp_voice = 'unknown', false)::INTEGER + coalesce(contingency = 'unknown', false)::INTEGER +
         coalesce(all_areas = 'unknown', false)::INTEGER + coalesce(smart_actions = 'unknown', false)::INTEGER +
         coalesce(aspirational = 'unknown', false)::INTEGER + coalesce(copy_to_yp = 'unknown', false)::INTEGER +
         coalesce(reviewed_in_time = 'unknown', false)::INTEGER +
         coalesce(minutes_sent = 'unknown', false)::INTEGER +
         coalesce(started_on_time_verdict = 'unknown', false)::INTEGER) AS fixed_unknown
FROM verdicts;
