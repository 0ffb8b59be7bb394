-- 0002 (expand): add the new column, nullable and without a default.
-- Safe: SQLite only edits the schema text; no row is rewritten.
ALTER TABLE users ADD COLUMN full_name TEXT;
