-- Forms with at least one rated stage, per quarter, authority and team: the young people behind a team's
-- co-production score. Never published; a score resting on 1-4 of them is hidden (report/figures.py).
select quarter, local_authority, coalesce(team, 'Not linked to a plan yet') as team,
       count(distinct response_id) as rated_forms
from traffic_light_ratings
where list_contains($quarters, quarter)
  and ($authority is null or local_authority = $authority)
group by all
