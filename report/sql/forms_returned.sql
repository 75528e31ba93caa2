-- "Rate your review" forms returned, per quarter (of the review), authority and team; a form with every stage
-- blank counts. A form not linked to a plan yet has no authority: it counts only in the all-authorities report.
select quarter, local_authority, coalesce(team, 'Not linked to a plan yet') as team, count(*) as forms
from traffic_light_responses
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
