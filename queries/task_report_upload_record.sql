-- One report upload, form entry or rollback in the history.
INSERT INTO task_report_uploads (id, kind, user_name, created_at, file_name, sha256, encoding, rows,
                                 inserted, updated, unchanged, warnings, rolls_back, rolled_back_by)
VALUES ($id, $kind, $user_name, $created_at, $file_name, $sha256, $encoding, $rows,
        $inserted, $updated, $unchanged, $warnings, $rolls_back, NULL)
