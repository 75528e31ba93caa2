-- authorities_with_actions: the authorities with at least one action linked to one of their plans.
-- An authority whose actions were never exported cannot be judged on actions: smart_actions is unknown there,
-- not inadequate. (With one authority this is SPEC 3.1's "unknown when no actions export was ever loaded".)
-- Always worked out over every plan: a change here changes verdicts beyond the people a load touched.
SELECT DISTINCT p.local_authority
FROM plan_versions p JOIN plan_actions a USING (plan_id)
ORDER BY p.local_authority
