-- follow_up: every red or amber answer of the forms in the period, for following up with the young person
-- ("it will be important to explore these answers further with your social worker"). Case level: an IRO sees
-- their own reviews' answers, a team manager their teams'. Filters: $team, $iro, $worker (personal adviser or
-- social worker), $stage_no, $followed_up (true / false; NULL = both), $response_id (one form);
-- $due_days: the working days allowed.
-- Newest form first; $limit: the first rows only (NULL = all).
SELECT
    f.review_date, f.submitted_date,
    r.stage_no, r.stage,
    CASE r.rating WHEN 'red' THEN 'Red' ELSE 'Amber' END AS rating,
    r.comment,
    f.plan_id, f.team, f.iro, pv.personal_adviser, pv.social_worker,
    CASE WHEN f.followed_up_on IS NOT NULL THEN 'Talked through'
         WHEN f.working_days_open > $due_days THEN 'Overdue: not followed up'
         ELSE 'To follow up' END AS follow_up_status,
    f.followed_up_on,
    f.working_days_to_follow_up,
    -- working days left before the follow-up is due (negative: overdue), while not followed up
    CASE WHEN f.followed_up_on IS NULL THEN $due_days - f.working_days_open END AS working_days_left,
    rec.note AS follow_up_note, rec.recorded_by AS follow_up_recorded_by,
    f.response_id, f.local_authority, f.quarter,
    count(*) OVER () AS total_rows,
    count(DISTINCT f.response_id) OVER () AS total_forms
FROM scoped_follow_up_forms f
JOIN scoped_ratings r ON r.response_id = f.response_id AND r.rating IN ('red', 'amber')
-- the personal adviser and social worker of the plan version the form is linked to (no public view carries them)
LEFT JOIN plan_versions pv ON pv.plan_id = f.plan_id
LEFT JOIN follow_up_records rec ON rec.response_id = f.response_id
WHERE f.in_period AND f.case_visible
  AND ($team IS NULL OR f.team = $team)
  AND ($iro IS NULL OR f.iro = $iro)
  AND ($worker IS NULL OR pv.personal_adviser = $worker OR pv.social_worker = $worker)
  AND ($stage_no IS NULL OR r.stage_no = $stage_no)
  AND ($followed_up IS NULL OR (f.followed_up_on IS NOT NULL) = $followed_up)
  AND ($response_id IS NULL OR f.response_id = $response_id)
ORDER BY coalesce(f.submitted_date, f.review_date) DESC, f.review_date DESC, f.response_id, r.stage_no
LIMIT $limit;
