-- Plan versions per quarter and team by overall verdict (good / inadequate / incomplete).
select quarter, team, overall, count(*) as plans
from plan_quality
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
