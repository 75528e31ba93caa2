-- load_issues: the rejected rows and warnings of one load, in file order (data officers only).
SELECT file_name, row_number, column_name, 'rejected' AS outcome, reason FROM rejected_rows WHERE load_id = $load_id
UNION ALL
SELECT file_name, row_number, column_name, 'loaded with a warning', reason FROM load_warnings WHERE load_id = $load_id
ORDER BY row_number, outcome DESC, column_name;
