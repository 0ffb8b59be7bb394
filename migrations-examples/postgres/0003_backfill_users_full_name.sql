-- 0003 (migrate): copy the data into the new column.
-- Hazard: one unbatched UPDATE over the whole table, in one long transaction
-- that row-locks every user and bloats the table.
UPDATE users SET full_name = first_name || ' ' || last_name;
