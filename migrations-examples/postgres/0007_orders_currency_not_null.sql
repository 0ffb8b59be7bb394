-- 0007: every order must have a currency.
-- Hazard: SET NOT NULL takes ACCESS EXCLUSIVE on orders and scans the whole
-- table to prove there are no NULLs; reads and writes wait meanwhile.
ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
