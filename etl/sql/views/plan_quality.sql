-- plan_quality: one overall grade per plan version, after the seeds' own two lists (SPEC 3.1):
--   inadequate            when up_to_date, yp_voice, smart_actions or aspirational is inadequate (the practice
--                         tips' "what inadequate looks like": out of date, no voice, vague steps, not aspirational);
--   requires_improvement  else when any other indicator is inadequate (a "must" missed);
--   good                  else when every indicator that applies is good;
--   incomplete            else (data missing, nothing wrong found);
-- with the reason in plain words. The counts of verdicts decided at load come from review_facts; those decided
-- when queried (minutes not yet sent, up_to_date, smart_actions) are added here exactly as plan_indicators
-- decides them.
CREATE OR REPLACE VIEW plan_quality AS
WITH t AS (SELECT coalesce(today_override, current_date) AS today, review_interval_months FROM settings),
authorities_with_actions AS (SELECT DISTINCT local_authority FROM review_facts WHERE actions > 0),
today_verdicts AS (
    SELECT q.*, t.review_interval_months,
           CASE WHEN q.review_date IS NOT NULL AND q.minutes_sent_date IS NULL
                THEN CASE WHEN t.today > q.minutes_due_date THEN 'inadequate' ELSE 'unknown' END END AS minutes_verdict,
           CASE WHEN q.is_latest_version
                THEN CASE WHEN t.today > q.next_review_due_by THEN 'inadequate' ELSE 'good' END END AS up_to_date_verdict,
           CASE WHEN NOT coalesce(q.local_authority IN (SELECT local_authority FROM authorities_with_actions), false)
                THEN 'unknown'
                WHEN q.actions = 0 OR q.actions_not_smart > 0 THEN 'inadequate' ELSE 'good' END AS smart_actions_verdict
    FROM review_facts q CROSS JOIN t
),
counted AS (
    SELECT *,
           fixed_key_inadequate + (up_to_date_verdict IS NOT DISTINCT FROM 'inadequate')::INTEGER
               + (smart_actions_verdict = 'inadequate')::INTEGER AS key_inadequate,
           fixed_other_inadequate + (minutes_verdict IS NOT DISTINCT FROM 'inadequate')::INTEGER AS other_inadequate,
           fixed_good + (up_to_date_verdict IS NOT DISTINCT FROM 'good')::INTEGER
               + (smart_actions_verdict = 'good')::INTEGER AS indicators_good,
           fixed_unknown + (minutes_verdict IS NOT DISTINCT FROM 'unknown')::INTEGER
               + (smart_actions_verdict = 'unknown')::INTEGER AS indicators_unknown
    FROM today_verdicts
),
graded AS (
    SELECT *,
           CASE WHEN key_inadequate > 0 THEN 'inadequate'
                WHEN other_inadequate > 0 THEN 'requires_improvement'
                WHEN indicators_unknown = 0 THEN 'good'
                ELSE 'incomplete' END AS overall
    FROM counted
)
SELECT plan_id, person_key, team, local_authority, nation, iro, plan_date, review_date, quarter,
       overall,
       -- the reason: what made the grade (the four of "what inadequate looks like", then the other "musts" missed),
       -- or what is not known. Worked out only when a query reads it.
       CASE overall
           WHEN 'good' THEN 'Every check that applies is met (' || indicators_good || ' checks)'
           WHEN 'incomplete' THEN 'Nothing found wrong, but not known: ' || concat_ws('; ',
               CASE WHEN yp_voice = 'unknown' THEN 'whether the young person''s views are recorded' END,
               CASE WHEN smart_actions_verdict = 'unknown' THEN 'whether actions have an owner and a due date (no actions export for this authority)' END,
               CASE WHEN aspirational = 'unknown' THEN 'whether the plan has long-term goals' END,
               CASE WHEN contingency = 'unknown' THEN 'whether there is a contingency plan' END,
               CASE WHEN all_areas = 'unknown' THEN 'whether every required area is covered' END,
               CASE WHEN copy_to_yp = 'unknown' THEN 'whether the young person was given a copy' END,
               CASE WHEN started_on_time_v = 'unknown' THEN 'whether pathway planning started on time' END,
               CASE WHEN coalesce(minutes_sent, minutes_verdict) = 'unknown' THEN 'whether the minutes were sent on time' END,
               CASE WHEN minutes_agreed = 'unknown' THEN 'whether the young person was asked to agree the minutes' END,
               CASE WHEN draft_copy = 'unknown' THEN 'whether a draft of the plan was given at the meeting' END,
               CASE WHEN next_review_set = 'unknown' THEN 'the next review date' END)
           ELSE concat_ws('; ',
               CASE WHEN up_to_date_verdict = 'inadequate' THEN 'the plan is out of date' END,
               CASE WHEN yp_voice = 'inadequate' THEN 'the young person''s views are not recorded' END,
               CASE WHEN smart_actions_verdict = 'inadequate' THEN 'no actions, or actions without an owner or a due date' END,
               CASE WHEN aspirational = 'inadequate' THEN 'no long-term goals' END,
               CASE WHEN contingency = 'inadequate' THEN 'no contingency plan' END,
               CASE WHEN all_areas = 'inadequate' THEN 'not every required area is covered' END,
               CASE WHEN copy_to_yp = 'inadequate' THEN 'the young person was not given a copy' END,
               CASE WHEN started_on_time_v = 'inadequate' THEN 'pathway planning started late' END,
               CASE WHEN reviewed_in_time = 'inadequate' THEN 'the review was held late' END,
               CASE WHEN coalesce(minutes_sent, minutes_verdict) = 'inadequate' THEN 'minutes sent late or not sent' END,
               CASE WHEN minutes_agreed = 'inadequate' THEN 'the young person was not asked to agree the minutes' END,
               CASE WHEN draft_copy = 'inadequate' THEN 'no draft of the plan at the meeting' END,
               CASE WHEN next_review_set = 'inadequate' THEN 'no next review date within ' || review_interval_months || ' months' END)
       END AS overall_reason,
       indicators_good, key_inadequate + other_inadequate AS indicators_inadequate, indicators_unknown
FROM graded;
