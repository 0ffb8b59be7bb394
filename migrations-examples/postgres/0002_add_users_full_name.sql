-- 0002 (expand): add the new column, nullable and without a default.
-- Safe: metadata-only change, old code keeps working.
ALTER TABLE users ADD COLUMN full_name text;
