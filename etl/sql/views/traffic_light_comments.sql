-- traffic_light_comments: one row per stage of a "Rate your review" form that the young person wrote a comment
-- on, whether or not they rated that stage (rating NULL: unanswered, but their words still count). Free text:
-- for managers, never for the panel.
CREATE OR REPLACE VIEW traffic_light_comments AS
SELECT response_id, person_key, plan_id, team, local_authority, nation, iro, review_date, quarter, submitted_date,
       stage_no, stage, rating, comment
FROM rating_facts
WHERE comment IS NOT NULL;
