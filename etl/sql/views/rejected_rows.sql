-- rejected_rows: every row that was not loaded, with the reason (a row may have several).
CREATE OR REPLACE VIEW rejected_rows AS
SELECT file_name, row_number, column_name, reason, load_id
FROM row_issues WHERE severity = 'rejected';
