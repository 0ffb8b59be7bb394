-- 0009: a new order state.
-- ALTER TYPE ... ADD VALUE is cheap, but old code may not know the value,
-- and an enum value can never be removed again.
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
