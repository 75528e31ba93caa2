-- Reviews held, per quarter and team, by timeliness of the meeting and state of the minutes.
-- Counts only: no person-level column leaves this query. By authority: the report protects every authority's
-- figures together with the all-authorities ones (report/figures.py).
with held as (
    select quarter, local_authority, team,
           case when held_on_time then 'on_time'
                when not held_on_time then 'late'
                else 'not_assessed' end as held_status,
           coalesce(minutes_status, 'unknown') as minutes_status
    from reviews
    where review_date is not null
      and list_contains($quarters, quarter)
      and ($authority is null or local_authority = $authority)
)
select quarter, local_authority, team, held_status, minutes_status, count(*) as reviews
from held
group by all
