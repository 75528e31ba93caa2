-- care_leaver_outcomes: in touch, in suitable accommodation, in education, employment or training, for the young
-- people on a care-leaver list in the period (each one's latest list in it), by team, by age band (the DfE's 17 to 18
-- and 19 to 21) and by UASC, and for all. Rates are of every young person listed except those who died; one whose
-- outcome is not known counts in the rate's denominator, not its numerator (as the DfE's "information not known").
WITH cohort AS (
    SELECT * FROM scoped_care_leaver_snapshots
    WHERE in_period AND in_touch IS DISTINCT FROM 'DIED'
    QUALIFY row_number() OVER (PARTITION BY local_authority, person_key ORDER BY snapshot_date DESC) = 1
),
outcomes AS (
    SELECT team, age_band, CASE uasc WHEN true THEN 'UASC (now or formerly)' WHEN false THEN 'Not UASC'
                                     ELSE 'UASC not recorded' END AS uasc_group,
           o.outcome, o.yes
    FROM cohort, LATERAL (VALUES ('in_touch', is_in_touch), ('suitable_accommodation', accommodation_suitable),
                                 ('in_eet', in_education_employment_training)) AS o(outcome, yes)
),
counted AS (
    SELECT outcome,
           CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(age_band) = 0 THEN 'age_band'
                WHEN grouping(uasc_group) = 0 THEN 'uasc' ELSE 'all' END AS dimension,
           coalesce(team, age_band, uasc_group, 'All young people') AS group_label,
           count(*) AS young_people, count(*) FILTER (WHERE yes) AS yes, count(*) FILTER (WHERE NOT yes) AS no,
           count(*) FILTER (WHERE yes IS NULL) AS not_known
    FROM outcomes
    GROUP BY GROUPING SETS ((outcome, team), (outcome, age_band), (outcome, uasc_group), (outcome))
)
SELECT c.dimension, c.group_label, c.outcome, l.outcome_label, c.young_people, c.yes, c.no, c.not_known,
       pct(c.yes, c.young_people) AS pct,
       too_small(c.young_people) OR too_small(c.yes) OR too_small(c.young_people - c.yes) AS too_small
FROM counted c JOIN outcome_labels l USING (outcome)
ORDER BY CASE c.dimension WHEN 'all' THEN 0 WHEN 'team' THEN 1 WHEN 'age_band' THEN 2 ELSE 3 END,
         CASE c.group_label WHEN '16 or under' THEN 1 WHEN '17 to 18' THEN 2 WHEN '19 to 21' THEN 3
                            WHEN '22 and over' THEN 4 WHEN 'Age not known' THEN 5 ELSE 0 END,
         c.group_label, l.sort_order;
