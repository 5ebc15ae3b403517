-- Remove an indicator a catalog upload added (only when its rollback finds no values for it).
DELETE FROM indicators WHERE code = $code
