-- Files in the warehouse with their row counts (read = loaded + rejected + duplicate).
select load_id, file_name, kind, loaded_at, rows_read, rows_loaded, rows_rejected, rows_duplicate, rows_with_warnings
from load_log
order by load_id
