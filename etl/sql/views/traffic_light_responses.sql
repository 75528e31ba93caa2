-- traffic_light_responses: one row per "Rate your review" form loaded, with the plan version it is linked to
-- (team etc. NULL while its plan is not loaded yet). A form with every stage left blank is still a form returned:
-- response rates count forms here, not in traffic_light_ratings.
CREATE OR REPLACE VIEW traffic_light_responses AS
SELECT response_id, person_key, plan_id, team, local_authority, nation, iro, review_date, quarter, submitted_date
FROM form_links;
