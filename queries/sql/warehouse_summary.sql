-- warehouse_summary: is anything loaded, when, from which files, and what "today" and thresholds the figures use
-- (a page writes each threshold in words from these: core/wording.py).
-- Runs before every page: counts come from one-row-per-thing tables (no scan of the 20 M ratings).
SELECT
    (SELECT count(*) FROM reviews) AS plan_versions,
    (SELECT count(*) FROM young_people) AS young_people,
    (SELECT count(*) FROM traffic_light_forms) AS forms,
    (SELECT count(*) FROM care_leaver_records) AS care_leaver_rows,
    (SELECT max(loaded_at) FROM load_log) AS last_loaded_at,
    (SELECT list(DISTINCT file_name ORDER BY file_name) FROM load_log) AS files_loaded,
    (SELECT coalesce(today_override, current_date) FROM settings) AS today,
    (SELECT today_override IS NOT NULL FROM settings) AS today_is_fixed,
    (SELECT small_number_max FROM settings) AS small_number_max,
    (SELECT due_soon_working_days FROM settings) AS due_soon_working_days,
    (SELECT minutes_due_working_days FROM settings) AS minutes_due_working_days,
    (SELECT review_interval_months FROM settings) AS review_interval_months;
