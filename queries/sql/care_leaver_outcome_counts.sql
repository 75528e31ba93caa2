-- care_leaver_outcome_counts: counts, not rates, of each outcome by quarter (of the lists' snapshot dates), authority
-- and team, for the panel report, which suppresses small numbers itself. Each young person's latest list in the
-- quarter; those who died are left out. $quarter, $authority: NULL = all.
WITH cohort AS (
    SELECT * FROM care_leaver_snapshots
    WHERE in_touch IS DISTINCT FROM 'DIED'
      AND ($quarter IS NULL OR quarter = $quarter) AND ($authority IS NULL OR local_authority = $authority)
    QUALIFY row_number() OVER (PARTITION BY quarter, local_authority, person_key ORDER BY snapshot_date DESC) = 1
)
SELECT quarter, local_authority, team, o.outcome,
       count(*) AS young_people, count(*) FILTER (WHERE o.yes) AS yes, count(*) FILTER (WHERE NOT o.yes) AS no,
       count(*) FILTER (WHERE o.yes IS NULL) AS not_known
FROM cohort, LATERAL (VALUES ('in_touch', is_in_touch), ('suitable_accommodation', accommodation_suitable),
                             ('in_eet', in_education_employment_training)) AS o(outcome, yes)
GROUP BY ALL
ORDER BY quarter, local_authority, team, o.outcome;
