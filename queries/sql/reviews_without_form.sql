-- reviews_without_form: reviews held in the period with no "Rate your review" form returned yet, for making
-- online-form links (pages/invitations.py). Case level: only the reviews the user may see ($limit: first rows).
SELECT r.iro, r.team, r.person_key AS young_person, r.plan_id, r.review_date, r.local_authority,
       count(*) OVER () AS total_rows
FROM scoped_reviews r
WHERE r.in_period AND r.case_visible AND r.review_date IS NOT NULL
  AND r.plan_id NOT IN (SELECT plan_id FROM traffic_light_responses WHERE plan_id IS NOT NULL)
ORDER BY r.review_date DESC, r.team, r.plan_id
LIMIT $limit
