-- 0006: speed up the "recent orders by status" query.
-- Hazard on a big table: the build holds the write lock for its whole duration.
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);
