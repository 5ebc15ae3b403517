-- What a plan workbook upload (or its rollback) changed: the plan, its targets, the indicators it added.
SELECT item, key, action, old_record, new_record FROM plan_revisions WHERE upload_id = $id ORDER BY item, key
