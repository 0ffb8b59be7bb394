-- 0004 (contract): drop the old columns (needs SQLite 3.35+).
-- Breaking for code that still reads them; DROP COLUMN also rewrites every row.
ALTER TABLE users DROP COLUMN first_name;
ALTER TABLE users DROP COLUMN last_name;
