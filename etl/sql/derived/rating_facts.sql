-- key: response_id
-- refreshed for: rated_forms
-- depends on: form_links
-- rating_facts: every answered stage, and every unanswered stage the young person commented on (rating NULL),
-- with its form's plan version, team and quarter, denormalised once per load and stored in review-date order,
-- so a query for a quarter reads only that quarter's blocks.
SELECT l.response_id, l.person_key, l.plan_id, l.team, l.local_authority, l.nation, l.iro,
       l.review_date, l.quarter, l.submitted_date,
       a.stage_no, s.stage, a.rating,
       CAST(CASE a.rating WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 END AS TINYINT) AS score,
       a.comment
FROM refresh_form_links l
JOIN traffic_light_answers a ON a.response_id = l.response_id   -- a rating, or a comment, or both
JOIN stages s ON s.stage_no = a.stage_no
ORDER BY l.review_date, l.team;
