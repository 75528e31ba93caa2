-- Run on every connection before a named query: the public views narrowed to the user's
-- scope and the sidebar filters. Named queries read only these temp views, so no query can
-- forget the scope. Variables are set by queries/runner.py:
--   f_quarters VARCHAR[] (empty = all), f_from / f_to DATE (NULL = open), f_nation, f_local_authority,
--   f_teams VARCHAR[] (empty = all), trend_from / trend_to DATE,
--   s_role, s_teams VARCHAR[] (NULL = all teams), s_iro.
CREATE OR REPLACE TEMP MACRO too_small(n) AS n BETWEEN 1 AND (SELECT small_number_max FROM settings);
-- 'N months', as core/wording.py's months() writes it: labels that state a threshold take it from the warehouse.
CREATE OR REPLACE TEMP MACRO months_words(n) AS n || CASE WHEN n = 1 THEN ' month' ELSE ' months' END;
-- A stage as the pages name it: '3. How your views were heard'.
CREATE OR REPLACE TEMP MACRO stage_label(stage_no, stage) AS stage_no::VARCHAR || '. ' || stage;
CREATE OR REPLACE TEMP MACRO pct(num, den) AS CASE WHEN den > 0 THEN round(100.0 * num / den, 1) END;
-- Minutes that count in the on-time share: sent, or past due (outstanding minutes are not yet due: SPEC 3).
CREATE OR REPLACE TEMP MACRO minutes_due(status) AS status IN ('on_time', 'late', 'overdue');
-- The co-production score, 0-100: 50 x the mean of the ratings' points (red 0, amber 1, green 2); report/figures.py
-- works it out from the same points (RATING_POINTS) for the counts it publishes.
CREATE OR REPLACE TEMP MACRO coproduction_score(mean_points) AS round(50.0 * mean_points, 1);
CREATE OR REPLACE TEMP MACRO where_allowed(nation_name, authority, team_name) AS
    (getvariable('f_nation') IS NULL OR getvariable('f_nation') = nation_name)
    AND (getvariable('f_local_authority') IS NULL OR getvariable('f_local_authority') = authority)
    AND (len(getvariable('f_teams')) = 0 OR list_contains(getvariable('f_teams'), team_name))
    AND (getvariable('s_teams') IS NULL OR list_contains(getvariable('s_teams'), team_name));
CREATE OR REPLACE TEMP MACRO in_period(q, d) AS
    (len(getvariable('f_quarters')) = 0 OR list_contains(getvariable('f_quarters'), q))
    AND (getvariable('f_from') IS NULL OR d >= getvariable('f_from'))
    AND (getvariable('f_to') IS NULL OR d <= getvariable('f_to'));
CREATE OR REPLACE TEMP MACRO in_trend(d) AS
    (getvariable('trend_from') IS NULL OR d >= getvariable('trend_from'))
    AND (getvariable('trend_to') IS NULL OR d <= getvariable('trend_to'));
-- May this user see this review's rows at case level? (SPEC 6: an IRO only their own; the panel none.)
CREATE OR REPLACE TEMP MACRO case_visible(iro_name) AS
    getvariable('s_role') IN ('admin', 'manager', 'team_manager')
    OR (getvariable('s_role') = 'iro' AND iro_name = getvariable('s_iro'));

CREATE OR REPLACE TEMP VIEW scoped_reviews AS
SELECT *, coalesce(review_date, plan_date) AS event_date,
       in_period(quarter, coalesce(review_date, plan_date)) AS in_period,
       in_trend(coalesce(review_date, plan_date)) AS in_trend,
       case_visible(iro) AS case_visible
FROM reviews
WHERE where_allowed(nation, local_authority, team);

-- The views carry the plan version's iro and review_date, so no join back to reviews is needed.
CREATE OR REPLACE TEMP VIEW scoped_ratings AS
SELECT *, in_period(quarter, review_date) AS in_period, in_trend(review_date) AS in_trend,
       case_visible(iro) AS case_visible
FROM traffic_light_ratings
WHERE where_allowed(nation, local_authority, team);

-- Every form returned (a form with every stage blank too), for response rates.
CREATE OR REPLACE TEMP VIEW scoped_responses AS
SELECT *, in_period(quarter, review_date) AS in_period, in_trend(review_date) AS in_trend,
       case_visible(iro) AS case_visible
FROM traffic_light_responses
WHERE where_allowed(nation, local_authority, team);

-- The young people's comments, on rated and unrated stages alike.
CREATE OR REPLACE TEMP VIEW scoped_comments AS
SELECT *, in_period(quarter, review_date) AS in_period, case_visible(iro) AS case_visible
FROM traffic_light_comments
WHERE where_allowed(nation, local_authority, team);

-- One row per form with a red or amber answer, with its follow-up. follow_up_records (response_id,
-- talked_through_on) is the follow-up store, kept outside the warehouse and registered by queries/__init__.py.
-- The clock starts when the young person returned the form (submitted_date), else at the review; working days
-- are counted as for minutes: in (start, day], from the calendar table (etl/rules.py).
-- Grouped by the form's own columns (all alike within a form) so that a filter on in_period reaches the scan.
CREATE OR REPLACE TEMP VIEW scoped_follow_up_forms AS
WITH forms AS (
    SELECT response_id, person_key, plan_id, team, local_authority, nation, iro, review_date, quarter, submitted_date,
           in_period, in_trend, case_visible,
           count(*) FILTER (WHERE rating = 'red') AS red_answers, count(*) FILTER (WHERE rating = 'amber') AS amber_answers
    FROM scoped_ratings
    WHERE rating IN ('red', 'amber')
    GROUP BY ALL
)
SELECT f.*, coalesce(f.submitted_date, f.review_date) AS clock_from, CAST(rec.talked_through_on AS DATE) AS followed_up_on,
       done.working_day_number - started.working_day_number AS working_days_to_follow_up,
       now.working_day_number - started.working_day_number AS working_days_open
FROM forms f
LEFT JOIN follow_up_records rec ON rec.response_id = f.response_id
LEFT JOIN calendar started ON started.day = coalesce(f.submitted_date, f.review_date)
LEFT JOIN calendar done ON done.day = CAST(rec.talked_through_on AS DATE)
CROSS JOIN (SELECT c.working_day_number FROM settings s JOIN calendar c ON c.day = coalesce(s.today_override, current_date)) now;

CREATE OR REPLACE TEMP VIEW scoped_plan_quality AS
SELECT *, coalesce(review_date, plan_date) AS event_date,
       in_period(quarter, coalesce(review_date, plan_date)) AS in_period,
       in_trend(coalesce(review_date, plan_date)) AS in_trend,
       case_visible(iro) AS case_visible
FROM plan_quality
WHERE where_allowed(nation, local_authority, team);

CREATE OR REPLACE TEMP VIEW scoped_plan_indicators AS
SELECT *, coalesce(review_date, plan_date) AS event_date,
       in_period(quarter, coalesce(review_date, plan_date)) AS in_period,
       in_trend(coalesce(review_date, plan_date)) AS in_trend,
       case_visible(iro) AS case_visible
FROM plan_indicators
WHERE where_allowed(nation, local_authority, team);

-- The care-leaver lists (SPEC 6b): a list row belongs to the period by its snapshot date.
CREATE OR REPLACE TEMP VIEW scoped_care_leaver_snapshots AS
SELECT *, in_period(quarter, snapshot_date) AS in_period, in_trend(snapshot_date) AS in_trend
FROM care_leaver_snapshots
WHERE where_allowed(nation, local_authority, team);

CREATE OR REPLACE TEMP VIEW scoped_care_leavers AS
SELECT * FROM care_leavers
WHERE where_allowed(nation, local_authority, team);

-- "There is no plan": case level as the worklist is (an IRO sees the young people of their own out-of-date plans;
-- a young person with no plan loaded has no IRO yet, so only managers and team managers see them).
CREATE OR REPLACE TEMP VIEW scoped_without_plan AS
SELECT *, case_visible(iro) AS case_visible
FROM young_people_without_plan
WHERE where_allowed(nation, local_authority, team);

-- The outcomes a panel watches, in plain words (pages and report show these, never the codes).
CREATE OR REPLACE TEMP VIEW outcome_labels AS
SELECT * FROM (VALUES
    (1, 'in_touch', 'In touch'),
    (2, 'suitable_accommodation', 'In suitable accommodation'),
    (3, 'in_eet', 'In education, employment or training')
) AS t(sort_order, outcome, outcome_label);

-- Plain-English names, one home for each (pages show these, never the codes). The first four are the practice
-- tips' "what inadequate looks like" (any of them inadequate makes the plan inadequate), then the other "musts".
CREATE OR REPLACE TEMP VIEW indicator_labels AS
SELECT * FROM (VALUES
    (1, 'up_to_date', 'Plan up to date'),
    (2, 'yp_voice', 'Young person''s views recorded'),
    (3, 'smart_actions', 'Actions have an owner and a due date'),
    (4, 'aspirational', 'Records long-term goals'),
    (5, 'contingency', 'Has a contingency plan'),
    (6, 'all_areas', 'Covers the ten other required areas'),
    (7, 'copy_to_yp', 'Young person given a copy'),
    (8, 'started_on_time', 'Pathway planning started on time'),
    (9, 'reviewed_in_time', 'Reviewed within ' || months_words((SELECT review_interval_months FROM settings))),
    (10, 'minutes_on_time', 'Minutes sent on time'),
    (11, 'minutes_agreed', 'Young person asked to agree the minutes'),
    (12, 'draft_copy', 'Draft plan given at the meeting'),
    (13, 'next_review_set', 'Next review date set within ' || months_words((SELECT review_interval_months FROM settings)))
) AS t(sort_order, indicator, indicator_label);

-- A plan's overall grade (SPEC 3.1) and an indicator's verdict, and a young person's rating of a stage: the only place
-- they are written for people (no page or query title-cases a code).
CREATE OR REPLACE TEMP VIEW result_labels AS
SELECT * FROM (VALUES
    (1, 'good', 'Good'),
    (2, 'requires_improvement', 'Requires improvement'),
    (3, 'inadequate', 'Inadequate'),
    (4, 'incomplete', 'Incomplete (data missing)'),
    (5, 'unknown', 'Unknown (data missing)')
) AS t(sort_order, result, result_label);

CREATE OR REPLACE TEMP VIEW rating_labels AS
SELECT * FROM (VALUES
    (1, 'red', 'Red'),
    (2, 'amber', 'Amber'),
    (3, 'green', 'Green')
) AS t(sort_order, rating, rating_label);

CREATE OR REPLACE TEMP VIEW minutes_status_labels AS
SELECT * FROM (VALUES
    (1, 'on_time', 'Sent on time'),
    (2, 'late', 'Sent late'),
    (3, 'overdue', 'Not sent and overdue'),
    (4, 'outstanding', 'Not sent yet, not due')
) AS t(sort_order, minutes_status, status_label);
