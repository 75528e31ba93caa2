-- comments: young people's own words for a stage ($stage_no) and team ($team, NULL = all). Case level:
-- only for roles that may see cases (an IRO: their own reviews; never the panel).
SELECT c.review_date, c.team, c.stage_no, c.stage, coalesce(l.rating_label, 'Not rated') AS rating, c.comment
FROM scoped_comments c LEFT JOIN rating_labels l USING (rating)
WHERE in_period AND case_visible AND trim(comment) <> ''
  AND stage_no = $stage_no AND ($team IS NULL OR team = $team)
ORDER BY c.review_date DESC, c.team;
