-- care_leaver_outcomes_trend: each outcome by quarter of the lists' snapshot dates (each young person's latest list
-- in the quarter), over the trend's quarters; rates as in care_leaver_outcomes.
WITH cohort AS (
    SELECT * FROM scoped_care_leaver_snapshots
    WHERE in_trend AND in_touch IS DISTINCT FROM 'DIED'
    QUALIFY row_number() OVER (PARTITION BY quarter, local_authority, person_key ORDER BY snapshot_date DESC) = 1
),
outcomes AS (
    SELECT quarter, o.outcome, o.yes
    FROM cohort, LATERAL (VALUES ('in_touch', is_in_touch), ('suitable_accommodation', accommodation_suitable),
                                 ('in_eet', in_education_employment_training)) AS o(outcome, yes)
)
SELECT quarter, outcome, outcome_label, count(*) AS young_people, count(*) FILTER (WHERE yes) AS yes,
       pct(count(*) FILTER (WHERE yes), count(*)) AS pct,
       too_small(count(*)) OR too_small(count(*) FILTER (WHERE yes)) AS too_small
FROM outcomes JOIN outcome_labels USING (outcome)
GROUP BY quarter, outcome, outcome_label, sort_order
ORDER BY quarter, sort_order;
