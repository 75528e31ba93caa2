-- "Rate your review" forms returned, per quarter (of the review) and team; a form with every stage blank counts.
select quarter, coalesce(team, 'Not linked to a plan yet') as team, count(*) as forms
from traffic_light_responses
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
