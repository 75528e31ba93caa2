-- "Rate your review" forms returned, per quarter (of the review) and team.
select quarter, coalesce(team, 'Not linked to a plan yet') as team, count(distinct response_id) as forms
from traffic_light_ratings
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
