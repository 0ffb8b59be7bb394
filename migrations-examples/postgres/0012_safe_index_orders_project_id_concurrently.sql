-- 0012 (expand, safe): build the index without blocking writes.
-- CREATE INDEX CONCURRENTLY cannot run inside a transaction block,
-- so this file has no BEGIN/COMMIT.
SET lock_timeout = '5s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_project_id_idx ON orders (project_id);
