-- A points upload replaces the whole list: every point goes, then the file's complete list is written.
DELETE FROM rural_tourism_points
