-- key: person_key
-- refreshed for: touched_persons
-- depends on: (base tables only)
-- review_facts: one row per plan version with everything about it that does not depend on today, worked out
-- at load (window functions over every plan version are too slow to repeat on each query at national scale):
-- its place in the young person's history and the review and minutes rules (for `reviews`), and the verdict
-- of every indicator decided without today (for `plan_indicators` and `plan_quality`; NULL where an
-- indicator does not apply), with what the views need to explain each verdict. One table, one pass: the
-- person-level facts (date of birth, first plan, first nation) come from one grouping of the sorted versions, and
-- are kept on the first version (young_people_facts takes them from there).
WITH params AS (
    SELECT minutes_due_working_days, due_soon_working_days, review_interval_months,
           england_start_age, wales_start_age, wales_assessment_months
    FROM settings
),
-- only the columns used below go through the sort (not the adviser, social worker or file columns)
ordered AS (
    SELECT p.plan_id, p.person_key, p.team, p.local_authority, p.nation, p.iro, p.plan_date, p.review_date,
           p.minutes_sent_date, p.next_review_date, p.load_id, p.date_of_birth, p.first_plan_date,
           p.needs_assessment_date, p.eligibility_date,
           p.yp_views_recorded, p.long_term_goals, p.copy_given_to_yp, p.yp_agreed_minutes, p.draft_copy_given,
           p.covers_personal_adviser, p.covers_contact_support, p.covers_accommodation, p.covers_post18_arrangement,
           p.covers_education_training, p.covers_employment, p.covers_relationships,
           p.covers_independent_living_skills, p.covers_finance, p.covers_health, p.covers_contingency,
           row_number() OVER person_order AS version_no,
           -- the previous version's date: its review_date, or its plan_date for an initial plan
           lag(coalesce(p.review_date, p.plan_date)) OVER person_order AS previous_version_date,
           -- the latest version has no next one
           lead(p.plan_id) OVER person_order IS NULL AS is_latest_version
    FROM refresh_plan_versions p
    WINDOW person_order AS (PARTITION BY p.person_key ORDER BY p.plan_date, p.review_date NULLS FIRST, p.plan_id)
),
-- the young person's facts, over all their versions: the date of birth of the latest version that gives one; the
-- needs assessment and eligibility dates as given; the first plan as given, else the earliest version loaded, but
-- only when that is an initial plan (SPEC 3: when the earliest loaded version is a review, the first plan is not in
-- the loaded history and cannot be judged)
people AS (
    SELECT person_key,
           -- SPEC 3 "started on time" is judged on the first plan, so by the rules of its nation
           any_value(nation) FILTER (WHERE version_no = 1) AS person_first_nation,
           arg_max(date_of_birth, version_no) FILTER (WHERE date_of_birth IS NOT NULL) AS person_date_of_birth,
           coalesce(min(first_plan_date), any_value(plan_date) FILTER (WHERE version_no = 1 AND review_date IS NULL))
               AS person_first_plan_date,
           min(needs_assessment_date) AS person_needs_assessment_date,
           min(eligibility_date) AS person_eligibility_date
    FROM ordered
    GROUP BY person_key
),
versions AS (
    SELECT * EXCLUDE (date_of_birth, first_plan_date, needs_assessment_date, eligibility_date)
    FROM ordered JOIN people USING (person_key)
),
-- SPEC 3.1 next_review_set: a blank next review date is "missing", unless the export the version came from gives
-- no next review date at all (the column is not in it): then nothing can be said. Decided per file loaded.
loads_with_next_review AS (
    SELECT DISTINCT load_id FROM plan_versions
    WHERE next_review_date IS NOT NULL AND load_id IN (SELECT load_id FROM refresh_plan_versions)
),
action_counts AS (
    SELECT p.plan_id, count(*) AS actions,
           count(*) FILTER (WHERE a.owner IS NULL OR a.due_date IS NULL) AS actions_not_smart
    FROM refresh_plan_versions p JOIN plan_actions a USING (plan_id)
    GROUP BY p.plan_id
),
facts AS (
    SELECT v.plan_id, v.person_key, v.team, v.local_authority, v.nation, v.iro,
           v.plan_date, v.review_date, q.quarter,
           v.review_date IS NULL AS is_initial_plan,
           CAST(v.version_no AS INTEGER) AS version_no,
           v.version_no = 1 AS is_first_version,
           v.is_latest_version,
           v.previous_version_date,
           CASE WHEN v.review_date IS NOT NULL
                THEN CAST(v.previous_version_date + to_months(params.review_interval_months) AS DATE) END AS review_due_date,
           CASE WHEN v.review_date IS NULL OR v.previous_version_date IS NULL THEN NULL
                ELSE v.review_date <= CAST(v.previous_version_date + to_months(params.review_interval_months) AS DATE)
           END AS held_on_time,
           v.minutes_sent_date,
           CASE WHEN v.review_date IS NOT NULL THEN due.day END AS minutes_due_date,
           sent.working_day_number - held.working_day_number AS minutes_working_days,
           -- the status once sent; unsent minutes are outstanding or overdue depending on today (see the view)
           CASE WHEN v.review_date IS NULL OR v.minutes_sent_date IS NULL THEN NULL
                WHEN sent.working_day_number - held.working_day_number <= params.minutes_due_working_days THEN 'on_time'
                WHEN sent.working_day_number - held.working_day_number > params.minutes_due_working_days THEN 'late'
           END AS minutes_sent_status,
           due_soon.day AS minutes_due_soon_from,
           v.next_review_date,
           CAST(greatest(v.plan_date, coalesce(v.review_date, v.plan_date)) + to_months(params.review_interval_months) AS DATE)
               AS next_review_due_by,
           -- SPEC 3.1 next_review_set: the next review set for no later than review_date (plan_date for an initial
           -- plan) + 6 months
           CAST(coalesce(v.review_date, v.plan_date) + to_months(params.review_interval_months) AS DATE)
               AS next_review_latest_allowed,
           nr.load_id IS NOT NULL AS next_review_in_export,
           v.yp_views_recorded, v.long_term_goals, v.copy_given_to_yp, v.yp_agreed_minutes, v.draft_copy_given,
           v.covers_personal_adviser, v.covers_contact_support, v.covers_accommodation, v.covers_post18_arrangement,
           v.covers_education_training, v.covers_employment, v.covers_relationships,
           v.covers_independent_living_skills, v.covers_finance, v.covers_health, v.covers_contingency,
           -- smart_actions is judged in the views: it is unknown until the plan's authority has loaded an actions
           -- export, which a load of another young person's plans can change
           coalesce(ac.actions, 0) AS actions, coalesce(ac.actions_not_smart, 0) AS actions_not_smart,
           -- the young person's facts, for the start rule below (kept on the first version only)
           v.person_date_of_birth, v.person_first_plan_date, v.person_needs_assessment_date, v.person_eligibility_date,
           v.person_first_nation,
           params.wales_assessment_months AS start_months,
           CASE v.person_first_nation WHEN 'Wales' THEN params.wales_start_age ELSE params.england_start_age END
               AS start_age
    FROM versions v
    CROSS JOIN params
    LEFT JOIN calendar held ON held.day = v.review_date
    LEFT JOIN calendar sent ON sent.day = v.minutes_sent_date
    LEFT JOIN calendar due ON due.is_working_day
         AND due.working_day_number = held.working_day_number + params.minutes_due_working_days
    LEFT JOIN calendar due_soon ON due_soon.is_working_day
         AND due_soon.working_day_number = held.working_day_number + params.minutes_due_working_days - params.due_soon_working_days
    LEFT JOIN calendar q ON q.day = coalesce(v.review_date, v.plan_date)
    LEFT JOIN action_counts ac ON ac.plan_id = v.plan_id
    LEFT JOIN loads_with_next_review nr ON nr.load_id = v.load_id
),
-- SPEC 3 "started on time", by the nation of the first version:
--   England: the first plan before the 16th birthday (the practice tips' "must");
--   Wales: the needs assessment (else the first plan) no more than 3 months after the 16th birthday (CPPCR s.49);
--   in both nations, a young person who became eligible after 16: within 3 months of that date (the regulations'
--   "or becomes eligible after that age").
start_rule AS (
    SELECT *,
           CAST(person_date_of_birth + to_years(start_age) AS DATE) AS person_start_birthday,
           person_eligibility_date IS NOT NULL
               AND (person_date_of_birth IS NULL
                    OR person_eligibility_date > CAST(person_date_of_birth + to_years(start_age) AS DATE))
               AS person_late_entrant,
           CASE WHEN person_first_nation = 'Wales' THEN coalesce(person_needs_assessment_date, person_first_plan_date)
                ELSE person_first_plan_date END AS person_start_date
    FROM facts
),
start_due AS (
    SELECT *,
           CASE WHEN person_late_entrant THEN CAST(person_eligibility_date + to_months(start_months) AS DATE)
                WHEN person_first_nation = 'Wales' THEN CAST(person_start_birthday + to_months(start_months) AS DATE)
                ELSE person_start_birthday END AS person_start_due_date
    FROM start_rule
),
judged_start AS (
    SELECT *,
           CASE WHEN person_start_date IS NULL OR person_start_due_date IS NULL THEN NULL
                -- England's own rule is "before" the birthday; the others are "no more than 3 months after"
                WHEN person_late_entrant OR person_first_nation = 'Wales' THEN person_start_date <= person_start_due_date
                ELSE person_start_date < person_start_due_date END AS person_started_on_time
    FROM start_due
),
with_start AS (
    -- the started-on-time facts belong to the first version only
    SELECT *,
           CASE WHEN is_first_version THEN person_date_of_birth END AS date_of_birth,
           CASE WHEN is_first_version THEN person_first_plan_date END AS first_plan_date,
           CASE WHEN is_first_version THEN person_needs_assessment_date END AS needs_assessment_date,
           CASE WHEN is_first_version THEN person_eligibility_date END AS eligibility_date,
           CASE WHEN is_first_version THEN person_late_entrant END AS late_entrant,
           CASE WHEN is_first_version THEN person_start_date END AS start_date,
           CASE WHEN is_first_version THEN person_start_due_date END AS start_due_date,
           CASE WHEN is_first_version THEN person_started_on_time END AS started_on_time
    FROM judged_start
),
verdicts AS (
    -- verdict_of (sql/derived/_refresh.sql): true good, false inadequate, NULL unknown, as the ENUM stored
    SELECT *,
        verdict_of(yp_views_recorded) AS yp_voice,
        verdict_of(covers_contingency) AS contingency,
        -- SPEC 3.1: the ten matters other than contingency (contingency is its own indicator, judged once): any one
        -- not covered is inadequate, all covered good, else unknown (AND's three values)
        verdict_of(covers_personal_adviser AND covers_contact_support AND covers_accommodation
                   AND covers_post18_arrangement AND covers_education_training AND covers_employment
                   AND covers_relationships AND covers_independent_living_skills AND covers_finance
                   AND covers_health) AS all_areas,
        verdict_of(long_term_goals) AS aspirational,
        verdict_of(copy_given_to_yp) AS copy_to_yp,
        CASE WHEN review_date IS NOT NULL AND held_on_time IS NOT NULL THEN verdict_of(held_on_time) END AS reviewed_in_time,
        -- minutes once sent; unsent minutes are judged against today in the views
        CASE WHEN review_date IS NOT NULL AND minutes_sent_date IS NOT NULL
             THEN verdict_of(CASE minutes_sent_status WHEN 'on_time' THEN true WHEN 'late' THEN false END)
        END AS minutes_sent,
        CASE WHEN is_first_version THEN verdict_of(started_on_time) END AS started_on_time_verdict,
        -- the guide's stage 9: the young person asked whether the minutes are accurate; a draft given at the meeting
        CASE WHEN review_date IS NOT NULL THEN verdict_of(yp_agreed_minutes) END AS minutes_agreed,
        CASE WHEN review_date IS NOT NULL THEN verdict_of(draft_copy_given) END AS draft_copy,
        -- the guide's stage 10: "the date of the next pathway review should be set before the meeting is ended"
        verdict_of(CASE WHEN next_review_date IS NOT NULL THEN coalesce(next_review_date <= next_review_latest_allowed, false)
                        WHEN next_review_in_export THEN false END) AS next_review_set
    FROM with_start
)
SELECT * EXCLUDE (started_on_time_verdict, person_first_nation, person_date_of_birth, person_first_plan_date,
                   person_needs_assessment_date, person_eligibility_date, person_start_birthday, person_late_entrant,
                   person_start_date, person_start_due_date, person_started_on_time),
       started_on_time_verdict AS started_on_time_v,
       -- counts of the verdicts above, for plan_quality; a verdict that does not apply (NULL) counts nowhere.
       -- smart_actions, up_to_date and unsent minutes are added in the view. The overall grade (SPEC 3.1) tells
       -- apart the practice tips' "what inadequate looks like" (yp_voice, aspirational here) from the other "musts".
       -- (Sums, not list_count(list_filter(...)): building a list a row is several times slower.)
       (coalesce(yp_voice = 'good', false)::INTEGER + coalesce(contingency = 'good', false)::INTEGER +
         coalesce(all_areas = 'good', false)::INTEGER +
         coalesce(aspirational = 'good', false)::INTEGER + coalesce(copy_to_yp = 'good', false)::INTEGER +
         coalesce(reviewed_in_time = 'good', false)::INTEGER + coalesce(minutes_sent = 'good', false)::INTEGER +
         coalesce(started_on_time_verdict = 'good', false)::INTEGER +
         coalesce(minutes_agreed = 'good', false)::INTEGER + coalesce(draft_copy = 'good', false)::INTEGER +
         coalesce(next_review_set = 'good', false)::INTEGER) AS fixed_good,
       (coalesce(yp_voice = 'inadequate', false)::INTEGER +
         coalesce(aspirational = 'inadequate', false)::INTEGER) AS fixed_key_inadequate,
       (coalesce(contingency = 'inadequate', false)::INTEGER +
         coalesce(all_areas = 'inadequate', false)::INTEGER +
         coalesce(copy_to_yp = 'inadequate', false)::INTEGER +
         coalesce(reviewed_in_time = 'inadequate', false)::INTEGER +
         coalesce(minutes_sent = 'inadequate', false)::INTEGER +
         coalesce(started_on_time_verdict = 'inadequate', false)::INTEGER +
         coalesce(minutes_agreed = 'inadequate', false)::INTEGER +
         coalesce(draft_copy = 'inadequate', false)::INTEGER +
         coalesce(next_review_set = 'inadequate', false)::INTEGER) AS fixed_other_inadequate,
       (coalesce(yp_voice = 'unknown', false)::INTEGER + coalesce(contingency = 'unknown', false)::INTEGER +
         coalesce(all_areas = 'unknown', false)::INTEGER +
         coalesce(aspirational = 'unknown', false)::INTEGER + coalesce(copy_to_yp = 'unknown', false)::INTEGER +
         coalesce(reviewed_in_time = 'unknown', false)::INTEGER +
         coalesce(minutes_sent = 'unknown', false)::INTEGER +
         coalesce(started_on_time_verdict = 'unknown', false)::INTEGER +
         coalesce(minutes_agreed = 'unknown', false)::INTEGER + coalesce(draft_copy = 'unknown', false)::INTEGER +
         coalesce(next_review_set = 'unknown', false)::INTEGER) AS fixed_unknown
FROM verdicts
ORDER BY coalesce(review_date, plan_date), team;
