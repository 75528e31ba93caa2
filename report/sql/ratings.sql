-- Traffic-light answers per quarter, team, stage and rating (red / amber / green).
select quarter, coalesce(team, 'Not linked to a plan yet') as team, stage_no, rating, count(*) as answers
from traffic_light_ratings
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
