-- 0009 (expand, safe): additive changes only.
-- Nullable column without default: schema-text edit, no row rewrite.
ALTER TABLE projects ADD COLUMN archived_at TEXT;

-- A brand-new table, and an index on it while it is still empty.
CREATE TABLE IF NOT EXISTS project_events (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL,
    payload    TEXT    NOT NULL DEFAULT '{}',
    created_at TEXT    NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX IF NOT EXISTS project_events_project_id_idx ON project_events (project_id);
