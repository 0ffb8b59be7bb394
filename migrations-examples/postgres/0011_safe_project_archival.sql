-- 0011 (expand, safe): everything here is additive and takes only brief locks.
-- Give up quickly instead of queueing behind long transactions.
SET lock_timeout = '5s';
SET statement_timeout = '30s';

-- Nullable column without default: metadata-only.
ALTER TABLE projects ADD COLUMN archived_at timestamptz;

-- A brand-new table cannot block anyone.
CREATE TABLE project_events (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint      NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    payload    jsonb       NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
