-- 0008: keep users.updated_at current and record email changes.
-- ADD COLUMN cannot take a non-constant default such as CURRENT_TIMESTAMP,
-- so the column is nullable and the trigger fills it in.
ALTER TABLE users ADD COLUMN updated_at TEXT;

CREATE TABLE user_audit (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    old_email  TEXT,
    new_email  TEXT,
    changed_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER users_touch_updated_at
AFTER UPDATE OF email, full_name ON users
FOR EACH ROW
BEGIN
    UPDATE users SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
    INSERT INTO user_audit (user_id, old_email, new_email)
    SELECT NEW.id, OLD.email, NEW.email
    WHERE OLD.email IS NOT NEW.email;
END;
