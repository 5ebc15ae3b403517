-- What one catalog upload or its rollback changed, row by row.
SELECT code, action, old_record, new_record FROM catalog_revisions WHERE upload_id = $id ORDER BY code
