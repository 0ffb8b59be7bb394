-- 0007: make orders.currency NOT NULL and add the missing foreign key on
-- orders.user_id. SQLite's ALTER TABLE cannot do either, so this follows the
-- official 12-step table rebuild (https://www.sqlite.org/lang_altertable.html).
-- Hazard: copies the whole table while holding the write lock.

-- Foreign key enforcement must be switched off outside the transaction.
PRAGMA foreign_keys = OFF;

BEGIN TRANSACTION;

CREATE TABLE new_orders (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    project_id   INTEGER REFERENCES projects (id),
    status       TEXT    NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    amount_cents INTEGER NOT NULL,
    currency     TEXT    NOT NULL DEFAULT 'USD',
    note         TEXT,
    created_at   TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

INSERT INTO new_orders (id, user_id, project_id, status, amount_cents, currency, note, created_at)
SELECT id, user_id, project_id, status, amount_cents, coalesce(currency, 'USD'), note, created_at
FROM orders;

DROP TABLE orders;

ALTER TABLE new_orders RENAME TO orders;

-- Recreate the indexes that DROP TABLE removed.
CREATE INDEX orders_status_created_at_idx ON orders (status, created_at DESC);
CREATE INDEX orders_user_id_idx ON orders (user_id);

-- Report (and, in a real runner, abort on) rows that violate the new keys.
PRAGMA foreign_key_check;

COMMIT;

PRAGMA foreign_keys = ON;
