-- traffic_light_ratings: one row per answered stage of a "Rate your review" form,
-- with the team, authority, IRO and quarter of the plan version it is linked to (built at load: rating_facts).
CREATE OR REPLACE VIEW traffic_light_ratings AS
SELECT response_id, person_key, plan_id, team, local_authority, nation, iro, review_date, quarter, submitted_date,
       stage_no, stage, rating, score, comment
FROM rating_facts
WHERE rating IS NOT NULL;
