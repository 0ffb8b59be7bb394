-- 0005: make the unit explicit in the column name.
-- Breaking: running application code still reads and writes orders.amount.
ALTER TABLE orders RENAME COLUMN amount TO amount_cents;
