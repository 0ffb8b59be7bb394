-- 0015 (migrate + contract, safe): VALIDATE scans under SHARE UPDATE EXCLUSIVE
-- (reads and writes continue); SET NOT NULL then relies on the valid check
-- instead of scanning (PostgreSQL 12+); the redundant check is dropped.
SET lock_timeout = '5s';
ALTER TABLE users VALIDATE CONSTRAINT users_full_name_not_null;
ALTER TABLE users ALTER COLUMN full_name SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_full_name_not_null;
