-- One revision per point a points upload (or its rollback) added, changed or removed.
INSERT INTO point_revisions (upload_id, id, action, old_record, new_record)
SELECT $upload_id, id, action, old_record, new_record FROM upload_point_revisions_incoming
