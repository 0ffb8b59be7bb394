-- 0013 (migrate, safe): validate the constraint added NOT VALID in 0012.
-- VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE (reads and writes continue)
-- and ROW SHARE on projects.
SET lock_timeout = '5s';
ALTER TABLE orders VALIDATE CONSTRAINT orders_project_id_fkey;
