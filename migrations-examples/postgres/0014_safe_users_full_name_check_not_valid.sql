-- 0014 (expand, safe): first half of the safe SET NOT NULL recipe for the
-- column added in 0002. CHECK ... NOT VALID is added without scanning users;
-- only new writes are checked.
SET lock_timeout = '5s';
ALTER TABLE users
    ADD CONSTRAINT users_full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;
