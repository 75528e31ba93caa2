-- load_warnings: values that were not understood in optional columns; the row loaded with that value unknown.
CREATE OR REPLACE VIEW load_warnings AS
SELECT file_name, row_number, column_name, reason, load_id
FROM row_issues WHERE severity = 'warning';
