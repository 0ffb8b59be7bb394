-- 0001: initial schema for the billing app (SQLite edition).
PRAGMA foreign_keys = ON;

BEGIN;

CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    plan       TEXT    NOT NULL DEFAULT 'free',
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE users (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    email      TEXT    NOT NULL UNIQUE,
    first_name TEXT,
    last_name  TEXT,
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE projects (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX projects_account_id_idx ON projects (account_id);

-- orders is the big table. user_id has no foreign key yet and currency is
-- nullable: both are fixed by the table rebuild in 0007.
CREATE TABLE orders (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    project_id INTEGER REFERENCES projects (id),
    status     TEXT    NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'paid', 'shipped', 'cancelled')),
    amount     INTEGER NOT NULL,            -- in cents, despite the name
    currency   TEXT    DEFAULT 'USD',
    note       TEXT,
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

COMMIT;
