-- 0003 (migrate): copy the data into the new column.
-- Hazard: one unbatched UPDATE holds the database write lock until every row
-- is rewritten; all other writers get SQLITE_BUSY meanwhile.
UPDATE users SET full_name = first_name || ' ' || last_name;
