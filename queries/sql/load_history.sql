-- load_history: every file loaded, newest first (data officers only).
SELECT load_id, loaded_at, file_name, kind, rows_read, rows_loaded, rows_rejected, rows_duplicate,
       rows_with_warnings, ignored_columns, file_sha256
FROM load_log
ORDER BY load_id DESC;
