-- Forms that cannot be linked to a review, and review dates that are not dates.
-- (typed keeps raw_review_date only where it is not a date.)
SELECT src_row, 'review_date', 'rejected',
       'review_date is blank and there is no plan_id: the form cannot be linked to a review'
FROM typed WHERE review_date IS NULL AND raw_review_date IS NULL AND plan_id IS NULL
UNION ALL
SELECT src_row, 'review_date', 'rejected',
       '"' || raw_review_date || '" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); the form cannot be linked to its review'
FROM typed WHERE raw_review_date IS NOT NULL AND review_date IS NULL AND plan_id IS NULL
UNION ALL
-- with a plan_id the form still links, by its plan: the date loads as unknown, with a warning
SELECT src_row, 'review_date', 'warning',
       '"' || raw_review_date || '" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); loaded as unknown, the form links by its plan_id'
FROM typed WHERE raw_review_date IS NOT NULL AND review_date IS NULL AND plan_id IS NOT NULL
UNION ALL
SELECT src_row, 'review_date', 'rejected',
       'review meeting dated ' || strftime(review_date, '%d/%m/%Y') || ', in the future'
FROM typed, settings WHERE review_date > coalesce(settings.today_override, current_date)
UNION ALL
-- a form with no person_id (the online form's export) links to its young person by its plan, which must be loaded
SELECT src_row, 'plan_id', 'rejected',
       CASE WHEN plan_id IS NULL THEN 'there is no person_id and no plan_id: the form cannot be linked to a young person'
            ELSE 'there is no person_id and plan_id "' || plan_id || '" is not a plan in the warehouse: the form '
                 || 'cannot be linked to a young person; load the plan export first' END
FROM typed
WHERE raw_person_id IS NULL AND (plan_id IS NULL OR plan_id NOT IN (SELECT plan_id FROM plan_versions))
  AND src_row NOT IN (SELECT src_row FROM issues WHERE column_name = 'person_id');
