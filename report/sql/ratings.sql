-- Traffic-light answers by rating, per quarter: by team over all stages (stage_no is NULL), and by stage over
-- all teams (team is NULL). The report never shows a team's single stage, so those 240,000 rows of a national
-- warehouse are not fetched.
with answers as (
    select quarter, local_authority, coalesce(team, 'Not linked to a plan yet') as team, stage_no, rating
    from traffic_light_ratings
    where list_contains($quarters, quarter)
      and ($authority is null or local_authority = $authority)
)
select quarter, local_authority, team, stage_no, rating, count(*) as answers
from answers
group by grouping sets ((quarter, local_authority, team, rating), (quarter, local_authority, stage_no, rating))
