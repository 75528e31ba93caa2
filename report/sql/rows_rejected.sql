-- Rejected rows per file and column (the reasons themselves can quote values, so only counts leave).
select file_name, coalesce(column_name, '(whole row)') as column_name, count(distinct row_number) as rows_rejected
from rejected_rows
group by all
order by all
