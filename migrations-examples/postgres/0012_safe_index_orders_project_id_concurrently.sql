-- 0012 (expand, safe): index the future foreign key without blocking writes, then add
-- the constraint NOT VALID.
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block, so this file has no
-- BEGIN/COMMIT. A failed earlier attempt leaves an INVALID index that IF NOT EXISTS would
-- silently keep, so drop any leftover first.
SET lock_timeout = '5s';
DROP INDEX CONCURRENTLY IF EXISTS orders_project_id_idx;
CREATE INDEX CONCURRENTLY orders_project_id_idx ON orders (project_id);

-- NOT VALID: only new writes are checked; existing rows are validated in 0013.
ALTER TABLE orders
    ADD CONSTRAINT orders_project_id_fkey FOREIGN KEY (project_id)
    REFERENCES projects (id) NOT VALID;
