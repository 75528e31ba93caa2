-- Authorities and quarters that have any plan version, with the warehouse's "today".
with params as (select coalesce(any_value(today_override), current_date) as today from settings)
select r.local_authority, r.quarter, count(*) as plan_versions, any_value(params.today) as today
from reviews r cross join params
group by all
order by all
