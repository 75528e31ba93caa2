-- The care-leaver lists (snapshot dates) behind the panel report's outcomes, by quarter and authority: the report says
-- which list its figures come from. $quarters: the quarters the report needs.
SELECT quarter, local_authority, min(snapshot_date) AS first_list, max(snapshot_date) AS last_list
FROM care_leaver_snapshots
WHERE list_contains($quarters, quarter)
GROUP BY ALL
ORDER BY ALL
