-- young_person: one young person's plans and reviews, found by their pseudonym ($person_key), newest first, with
-- each plan's grade and minutes status. Case level, scoped as the worklist (an IRO: their own reviews; a team
-- manager: their teams); the sidebar's period does not apply (Filters() is passed): their whole history.
SELECT 'Plan or review' AS record, r.plan_date, r.review_date, r.team, r.iro, r.plan_id,
       coalesce(gl.result_label, q.overall) AS plan_grade, q.overall_reason AS plan_grade_reason,
       ml.status_label AS minutes, r.minutes_due_date, r.minutes_sent_date,
       CASE WHEN r.out_of_date THEN 'Out of date today' END AS up_to_date,
       NULL::VARCHAR AS response_id, NULL::DATE AS submitted_date
FROM scoped_reviews r
LEFT JOIN plan_quality q USING (plan_id)
LEFT JOIN minutes_status_labels ml ON ml.minutes_status = r.minutes_status
LEFT JOIN result_labels gl ON gl.result = q.overall
WHERE r.person_key = $person_key AND r.case_visible
UNION ALL
SELECT 'Rate your review form', NULL, f.review_date, f.team, f.iro, f.plan_id,
       NULL, NULL, NULL, NULL, NULL, NULL, f.response_id, f.submitted_date
FROM scoped_responses f
WHERE f.person_key = $person_key AND f.case_visible
ORDER BY coalesce(review_date, plan_date, submitted_date) DESC NULLS LAST, record, plan_id;
