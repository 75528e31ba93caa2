-- load_log: one row per file loaded; rows_read = rows_loaded + rows_rejected + rows_duplicate.
CREATE OR REPLACE VIEW load_log AS
SELECT load_id, file_name, file_sha256, kind, loaded_at,
       rows_read, rows_loaded, rows_rejected, rows_duplicate, rows_with_warnings, ignored_columns
FROM loads;
