-- Rows of a care-leaver list that cannot be loaded. (typed keeps raw_snapshot_date only where it is not a date.)
-- A row is a young person on the list of one date: a snapshot date that cannot be read is not taken as blank (which
-- would put the row on the list of the date given at load, or of the file's date), SPEC 2.6.
SELECT src_row, 'snapshot_date', 'rejected',
       '"' || raw_snapshot_date || '" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); the row '
       || 'would be put on another day''s list, so it is not loaded'
FROM typed WHERE raw_snapshot_date IS NOT NULL AND snapshot_date IS NULL
UNION ALL
SELECT src_row, 'snapshot_date', 'rejected',
       'snapshot dated ' || strftime(snapshot_value, '%d/%m/%Y') || ', in the future: a list is of a day that has come'
FROM typed, settings WHERE snapshot_value > coalesce(settings.today_override, current_date)
UNION ALL
SELECT src_row, 'latest_contact_date', 'warning',
       'latest contact on ' || strftime(latest_contact_date, '%d/%m/%Y') || ', after the list''s date '
       || strftime(snapshot_value, '%d/%m/%Y') || ': check both dates'
FROM typed WHERE latest_contact_date > snapshot_value;
