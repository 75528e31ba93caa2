-- without_plan_by_team: per team, and for all teams, how many young people on the authority's latest care-leaver
-- list are owed a pathway plan, how many have none loaded, and how many have one out of date (SPEC 6b). Counts only:
-- every case-level role may see them, as other aggregates.
WITH owed AS (
    SELECT team, count(*) AS owed FROM scoped_care_leavers
    WHERE on_latest_list AND owed_pathway_plan AND in_touch IS DISTINCT FROM 'DIED'
    GROUP BY GROUPING SETS ((team), ())
),
missing AS (
    SELECT team, count(*) FILTER (WHERE plan_status = 'no_plan') AS no_plan,
           count(*) FILTER (WHERE plan_status = 'out_of_date') AS out_of_date
    FROM scoped_without_plan
    GROUP BY GROUPING SETS ((team), ())
)
SELECT coalesce(o.team, 'All teams') AS team, o.owed, coalesce(m.no_plan, 0) AS no_plan,
       coalesce(m.out_of_date, 0) AS out_of_date,
       pct(coalesce(m.no_plan, 0), o.owed) AS pct_no_plan,
       too_small(o.owed) AS too_small
FROM owed o LEFT JOIN missing m ON m.team IS NOT DISTINCT FROM o.team
ORDER BY o.team IS NULL DESC, o.team;
