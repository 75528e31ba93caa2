-- traffic_light_ratings: one row per answered stage of a "Rate your review" form,
-- with the team, authority and quarter of the plan version it is linked to (form_links).
CREATE OR REPLACE VIEW traffic_light_ratings AS
SELECT l.response_id, l.person_key, l.plan_id, l.team, l.local_authority, l.nation,
       l.review_date, l.quarter, l.submitted_date,
       a.stage_no, s.stage, a.rating,
       CASE a.rating WHEN 'red' THEN 0 WHEN 'amber' THEN 1 WHEN 'green' THEN 2 END AS score,
       a.comment
FROM form_links l
JOIN traffic_light_answers a ON a.response_id = l.response_id AND a.rating IS NOT NULL
JOIN stages s ON s.stage_no = a.stage_no;
