-- 0008: enforce the orders -> users relationship.
-- Hazard: a validated foreign key takes SHARE ROW EXCLUSIVE on both orders
-- and users and scans all of orders while holding it.
ALTER TABLE orders
    ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
