-- Later uploads (not rolled back) that changed any value of upload $id again: they must be undone first.
SELECT DISTINCT later.upload_id
FROM observation_revisions later
JOIN uploads u ON u.id = later.upload_id
JOIN observation_revisions mine
  ON mine.indicator_code = later.indicator_code AND mine.region_code = later.region_code
 AND mine.period = later.period AND mine.upload_id = $id
WHERE later.upload_id > $id AND u.rolled_back_by IS NULL AND u.kind <> 'rollback'
ORDER BY later.upload_id
