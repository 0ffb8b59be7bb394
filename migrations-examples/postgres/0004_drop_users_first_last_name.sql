-- 0004 (contract): remove the old columns once no deployed code reads them.
-- Breaking for any application version that still selects first_name/last_name.
ALTER TABLE users DROP COLUMN first_name;
ALTER TABLE users DROP COLUMN last_name;
