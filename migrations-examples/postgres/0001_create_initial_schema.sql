-- 0001: initial schema for the billing app.
-- Runs in one transaction: on a brand-new database nothing is contended yet.
BEGIN;

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE accounts (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    plan       text        NOT NULL DEFAULT 'free',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id),
    email      text        NOT NULL,
    first_name text,
    last_name  text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE projects (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX projects_account_id_idx ON projects (account_id);

-- orders is the big one: tens of millions of rows in production.
-- user_id and project_id were added without foreign keys (legacy import).
CREATE TABLE orders (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint       NOT NULL,
    project_id bigint,
    status     order_status NOT NULL DEFAULT 'pending',
    amount     integer      NOT NULL,           -- in cents, despite the name
    currency   char(3)      DEFAULT 'USD',  -- safeshift:ignore ban-char-field (legacy import)
    note       text,
    created_at timestamptz  NOT NULL DEFAULT now()
);

COMMIT;
