-- Actions that cannot be linked to a plan.
SELECT src_row, 'plan_id', 'rejected',
       'no plan_id, and no person_id with plan_date: the action cannot be linked to a plan'
FROM typed WHERE plan_id IS NULL AND (raw_person_id IS NULL OR plan_date IS NULL);
