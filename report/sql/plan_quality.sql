-- Plan versions per quarter, authority and team by overall verdict (good / inadequate / incomplete).
select quarter, local_authority, team, overall, count(*) as plans
from plan_quality
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
