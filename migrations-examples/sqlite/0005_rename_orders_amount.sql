-- 0005: make the unit explicit in the column name (SQLite 3.25+).
-- Breaking: running application code still uses orders.amount.
ALTER TABLE orders RENAME COLUMN amount TO amount_cents;
