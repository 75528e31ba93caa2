-- comments: young people's own words for a stage ($stage_no) and team ($team, NULL = all). Case level:
-- only for roles that may see cases (an IRO: their own reviews; never the panel).
SELECT review_date, team, stage_no, stage,
       CASE rating WHEN 'red' THEN 'Red' WHEN 'amber' THEN 'Amber' WHEN 'green' THEN 'Green' ELSE 'Not rated' END AS rating,
       comment
FROM scoped_comments
WHERE in_period AND case_visible AND trim(comment) <> ''
  AND stage_no = $stage_no AND ($team IS NULL OR team = $team)
ORDER BY review_date DESC, team;
