#!/usr/bin/env python3
"""Generates a large, deterministic corpus of PostgreSQL migration SQL for benchmarks.

Usage: Scripts/generate-corpus.py [--statements N] [--seed S] OUT.sql

The output reads like the concatenated history of a real application's migrations: each
migration starts with a `-- NNNNN_name` header and is a small group of statements (a new
table with its comments and indexes; a column added, backfilled in batches and made NOT NULL
through a CHECK ... NOT VALID / VALIDATE pair; a foreign key added NOT VALID then validated;
an index built CONCURRENTLY; a plpgsql trigger function and its trigger; an enum and its new
values; data fixes; renames and type changes; views, grants, DO blocks), usually wrapped in
BEGIN/COMMIT with SET lock_timeout first. The generator keeps a model of the schema so
statements name tables and columns that exist.

Every statement is valid PostgreSQL that squawk's parser and `safeshift lint` accept. Exactly N
statements are written (default 60,000); the same N and seed always give the same bytes.
"""

import argparse
import random
import sys

ENTITIES = [
    "account", "user", "organization", "project", "order", "order_item", "invoice", "payment",
    "refund", "subscription", "plan", "product", "variant", "price", "coupon", "cart",
    "shipment", "address", "warehouse", "stock_level", "supplier", "purchase_order", "review",
    "comment", "post", "tag", "tagging", "attachment", "notification", "email_delivery",
    "webhook", "webhook_event", "api_key", "session", "audit_log", "team", "membership",
    "invitation", "role", "permission", "feature_flag", "experiment", "assignment", "event",
    "page_view", "ticket", "ticket_message", "sla_policy", "report", "export_job",
]
QUALIFIERS = ["", "", "", "", "archived_", "legacy_", "billing_", "crm_", "internal_", "tmp_"]
SCHEMAS = ["public", "billing", "analytics", "crm"]
ROLES = ["app_readonly", "app_writer", "reporting", "etl_service"]
EXTENSIONS = ["pgcrypto", "citext", "pg_trgm", "btree_gist", "hstore", "uuid-ossp"]

# Column names with the type families that suit them, as real schemas pair them.
COLUMNS = {
    "name": "str", "title": "str", "slug": "str", "email": "ci", "status": "short",
    "state": "short", "kind": "short", "description": "text", "notes": "text",
    "amount_cents": "big", "currency": "short", "quantity": "int", "position": "int",
    "priority": "small", "score": "num", "rating": "num", "external_id": "uuid",
    "reference": "str", "code": "short", "locale": "short", "timezone": "short",
    "country_code": "short", "phone": "str", "metadata": "json", "settings": "json",
    "payload": "json", "tags": "arr", "starts_at": "ts", "ends_at": "ts", "expires_at": "ts",
    "confirmed_at": "ts", "archived_at": "ts", "last_seen_at": "ts", "deleted_at": "ts",
    "published_at": "ts", "due_on": "date", "is_active": "bool", "is_public": "bool",
    "is_verified": "bool", "retry_count": "int", "version": "int", "checksum": "bytea",
    "token": "uuid", "ip_address": "inet", "user_agent": "text", "source": "short",
    "channel": "short", "display_name": "str", "full_name": "str", "url": "text",
    "price": "num", "discount": "num", "weight_grams": "int", "ttl": "interval",
}
COLUMN_WORDS = list(COLUMNS)
SUFFIXES = ["v2", "raw", "normalized", "old", "new", "utc", "override"]

# family -> [(sql type, default expressions, sample literal kind)]
FAMILIES = {
    "str": [("varchar(255)", ["''"], "text"), ("text", ["''"], "text")],
    "short": [("varchar(64)", ["'pending'", "'default'"], "text"),
              ("text", ["'unknown'", "'pending'::text"], "text")],
    "text": [("text", [], "text")],
    "ci": [("citext", [], "text"), ("varchar(320)", [], "text")],
    "int": [("integer", ["0", "1"], "int"), ("bigint", ["0"], "int")],
    "small": [("smallint", ["0", "5"], "int")],
    "big": [("bigint", ["0"], "int")],
    "num": [("numeric(12, 2)", ["0", "0.00"], "num"), ("double precision", ["0.0"], "num")],
    "bool": [("boolean", ["false", "true"], "bool")],
    "ts": [("timestamptz", ["now()", "CURRENT_TIMESTAMP"], "ts"),
           ("timestamp with time zone", ["now()"], "ts")],
    "date": [("date", ["CURRENT_DATE"], "date")],
    "json": [("jsonb", ["'{}'::jsonb", "'[]'::jsonb"], "json")],
    "uuid": [("uuid", ["gen_random_uuid()"], "uuid")],
    "arr": [("text[]", ["'{}'::text[]", "ARRAY[]::text[]"], "arr")],
    "inet": [("inet", [], "inet")],
    "interval": [("interval", ["interval '1 day'"], "interval")],
    "bytea": [("bytea", [], "bytea")],
}


def plural(word):
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def singular(table):
    if table.endswith("ies"):
        return table[:-3] + "y"
    if table.endswith(("sses", "xes", "ches", "shes")):
        return table[:-2]
    return table[:-1] if table.endswith("s") else table


class Schema:
    """The tables, columns, indexes, constraints, enums and functions created so far."""

    def __init__(self):
        self.tables = {}  # name -> list of (column, type, sample)
        self.indexes = []  # (name, table)
        self.fks = []  # (table, constraint, validated)
        self.checks = []  # (table, constraint)
        self.enums = {}  # name -> list of labels
        self.functions = []
        self.views = []


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.schema = Schema()
        self.serial = 0
        self.migration_number = 0

    # -- small helpers ----------------------------------------------------------------------

    def uid(self):
        self.serial += 1
        return self.serial

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p):
        return self.rng.random() < p

    def table(self):
        return self.pick(list(self.schema.tables))

    def column_of(self, table, sample=None):
        cols = [c for c in self.schema.tables[table] if sample is None or c[2] in sample]
        return self.pick(cols) if cols else None

    def literal(self, sample):
        r = self.rng
        if sample == "text":
            word = self.pick(["alpha", "beta", "O''Brien", "café", "n/a", "pending", "done"])
            return f"'{word}-{r.randrange(10000)}'"
        if sample == "int":
            return str(r.randrange(-5, 100000))
        if sample == "num":
            return f"{r.randrange(100000)}.{r.randrange(100):02d}"
        if sample == "bool":
            return self.pick(["true", "false"])
        if sample == "ts":
            return f"'2024-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d} 12:00:00+00'"
        if sample == "date":
            return f"'2023-{r.randrange(1, 13):02d}-{r.randrange(1, 29):02d}'"
        if sample == "json":
            return f"'{{\"k\": {r.randrange(100)}, \"v\": [1, 2]}}'::jsonb"
        if sample == "uuid":
            return "gen_random_uuid()"
        if sample == "arr":
            return "ARRAY['a', 'b']"
        if sample == "inet":
            return f"'10.0.{r.randrange(256)}.{r.randrange(256)}'::inet"
        if sample == "interval":
            return f"interval '{r.randrange(1, 90)} days'"
        if sample == "bytea":
            return "'\\xdeadbeef'::bytea"
        if sample == "enum":
            return "NULL"
        return "NULL"

    def new_column(self, table):
        existing = {c[0] for c in self.schema.tables.get(table, [])}
        for _ in range(20):
            name = self.pick(COLUMN_WORDS)
            if self.chance(0.3):
                name = f"{name}_{self.pick(SUFFIXES)}"
            if name not in existing:
                return name
        return f"col_{self.uid()}"

    def new_table_name(self):
        for _ in range(20):
            name = self.pick(QUALIFIERS) + plural(self.pick(ENTITIES))
            if name not in self.schema.tables:
                return name
        return f"{plural(self.pick(ENTITIES))}_{self.uid()}"

    def column_definition(self, table, name, allow_fk=True):
        base = name
        for suffix in SUFFIXES:
            base = base.removesuffix("_" + suffix)
        sql_type, defaults, sample = self.pick(FAMILIES[COLUMNS.get(base, "str")])
        if self.schema.enums and self.chance(0.05):
            sql_type, defaults, sample = self.pick(list(self.schema.enums)), [], "enum"
        parts = [name, sql_type]
        if self.chance(0.45):
            parts.append("NOT NULL")
        if defaults and self.chance(0.5):
            parts.append("DEFAULT " + self.pick(defaults))
        if sample == "int" and self.chance(0.15):
            parts.append(f"CHECK ({name} >= 0)")
        if sample == "text" and self.chance(0.08):
            parts.append("UNIQUE")
        if allow_fk and sample == "int" and self.schema.tables and self.chance(0.1):
            target = self.table()
            parts.append(f"REFERENCES {target} (id) ON DELETE {self.pick(['CASCADE', 'SET NULL', 'RESTRICT'])}")
        return " ".join(parts), (name, sql_type, sample)

    # -- statements ---------------------------------------------------------------------------

    def create_table(self):
        table = self.new_table_name()
        lines = []
        columns = []
        if self.chance(0.6):
            lines.append("id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        else:
            lines.append("id uuid PRIMARY KEY DEFAULT gen_random_uuid()")
        columns.append(("id", "bigint", "int"))
        parents = list(self.schema.tables)[-30:]
        fk_columns = []
        for parent in self.rng.sample(parents, min(len(parents), self.rng.randrange(0, 3))):
            col = singular(parent) + "_id"
            if col in {c[0] for c in columns}:
                continue
            lines.append(f"{col} bigint NOT NULL REFERENCES {parent} (id) ON DELETE CASCADE")
            columns.append((col, "bigint", "int"))
            fk_columns.append(col)
        used = {c[0] for c in columns}
        for _ in range(self.rng.randrange(4, 18)):
            name = self.new_column(table)
            if name in used:
                continue
            used.add(name)
            definition, col = self.column_definition(table, name, allow_fk=False)
            lines.append(definition)
            columns.append(col)
        lines.append("created_at timestamptz NOT NULL DEFAULT now()")
        lines.append("updated_at timestamptz NOT NULL DEFAULT now()")
        columns += [("created_at", "timestamptz", "ts"), ("updated_at", "timestamptz", "ts")]
        text_cols = [c[0] for c in columns if c[2] == "text"]
        if text_cols and self.chance(0.4):
            cols = ", ".join(self.rng.sample(text_cols, min(2, len(text_cols))))
            lines.append(f"CONSTRAINT {table}_{self.uid()}_key UNIQUE ({cols})")
        if self.chance(0.3):
            lines.append(f"CONSTRAINT {table}_dates_check CHECK (updated_at >= created_at)")
        self.schema.tables[table] = columns
        head = "CREATE TABLE IF NOT EXISTS" if self.chance(0.2) else "CREATE TABLE"
        body = ",\n    ".join(lines)
        return table, fk_columns, f"{head} {table} (\n    {body}\n);"

    def create_index(self, table=None, concurrently=None):
        table = table or self.table()
        cols = self.schema.tables[table]
        chosen = self.rng.sample(cols, min(len(cols), self.rng.randrange(1, 4)))
        name = f"index_{table}_on_{'_and_'.join(c[0] for c in chosen)}"
        if len(name) > 55:
            name = name[:50]
        name = f"{name}_{self.uid()}"
        unique = "UNIQUE " if self.chance(0.15) else ""
        conc = "CONCURRENTLY " if concurrently else ""
        ine = "IF NOT EXISTS " if self.chance(0.3) else ""
        using = ""
        col_sql = ", ".join(c[0] + (" DESC" if self.chance(0.1) else "") for c in chosen)
        if len(chosen) == 1 and chosen[0][2] in ("json", "arr") and not unique:
            using = "USING gin "
            col_sql = chosen[0][0]
        elif len(chosen) == 1 and chosen[0][2] == "text" and self.chance(0.2):
            col_sql = f"lower({chosen[0][0]})"
        where = ""
        if self.chance(0.2):
            where = f" WHERE {self.pick(['deleted_at IS NULL', 'created_at > now() - interval ' + chr(39) + '30 days' + chr(39), 'id > 0'])}"
            if "deleted_at" not in {c[0] for c in cols} and "deleted_at" in where:
                where = " WHERE id > 0"
        self.schema.indexes.append((name, table))
        return f"CREATE {unique}INDEX {conc}{ine}{name} ON {table} {using}({col_sql}){where};"

    def add_column(self, table):
        name = self.new_column(table)
        definition, col = self.column_definition(table, name)
        self.schema.tables[table].append(col)
        ine = "IF NOT EXISTS " if self.chance(0.2) else ""
        return col, f"ALTER TABLE {table} ADD COLUMN {ine}{definition};"

    def backfill(self, table, col):
        value = self.literal(col[2])
        other = self.column_of(table)
        stmts = []
        step = self.pick([1000, 5000, 10000])
        start = self.rng.randrange(0, 50) * step
        for i in range(self.rng.randrange(1, 4)):
            lo, hi = start + i * step, start + (i + 1) * step
            where = f"id BETWEEN {lo} AND {hi - 1} AND {col[0]} IS NULL"
            if other and other[0] != col[0] and self.chance(0.3):
                where += f" AND {other[0]} IS NOT NULL"
            stmts.append(f"UPDATE {table} SET {col[0]} = {value} WHERE {where};")
        return stmts

    def set_not_null_safely(self, table, col):
        cname = f"{table}_{col[0]}_not_null"[:55] + f"_{self.uid()}"
        self.schema.checks.append((table, cname))
        return [
            f"ALTER TABLE {table} ADD CONSTRAINT {cname} CHECK ({col[0]} IS NOT NULL) NOT VALID;",
            f"ALTER TABLE {table} VALIDATE CONSTRAINT {cname};",
            f"ALTER TABLE {table} ALTER COLUMN {col[0]} SET NOT NULL;",
            f"ALTER TABLE {table} DROP CONSTRAINT {cname};",
        ]

    def add_foreign_key(self):
        child = self.table()
        parent = self.table()
        col = singular(parent) + f"_ref_{self.uid()}"
        self.schema.tables[child].append((col, "bigint", "int"))
        cname = f"fk_{child}_{col}"[:60]
        self.schema.fks.append((child, cname, False))
        on_delete = self.pick(["", " ON DELETE CASCADE", " ON DELETE SET NULL"])
        return [
            f"ALTER TABLE {child} ADD COLUMN {col} bigint;",
            f"ALTER TABLE {child} ADD CONSTRAINT {cname} FOREIGN KEY ({col}) "
            f"REFERENCES {parent} (id){on_delete} NOT VALID;",
            f"ALTER TABLE {child} VALIDATE CONSTRAINT {cname};",
        ]

    def alter_misc(self, table):
        cols = self.schema.tables[table]
        col = self.pick(cols)
        kind = self.rng.randrange(10)
        if kind == 0:
            new = self.new_column(table)
            cols[cols.index(col)] = (new, col[1], col[2])
            return f"ALTER TABLE {table} RENAME COLUMN {col[0]} TO {new};"
        if kind == 1:
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} SET DEFAULT {self.literal(col[2])};"
        if kind == 2:
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} DROP DEFAULT;"
        if kind == 3:
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} DROP NOT NULL;"
        if kind == 4 and col[2] == "int":
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} TYPE bigint USING {col[0]}::bigint;"
        if kind == 4 and col[2] == "text":
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} TYPE text;"
        if kind == 5 and col[0] != "id":
            cols.remove(col)
            return f"ALTER TABLE {table} DROP COLUMN IF EXISTS {col[0]};"
        if kind == 6:
            a, b = self.add_column(table)[1], self.add_column(table)[1]
            return a[:-1] + ",\n    " + b[len(f"ALTER TABLE {table} "):]
        if kind == 7:
            return f"ALTER TABLE {table} ALTER COLUMN {col[0]} SET STATISTICS {self.pick([100, 500, 1000])};"
        if kind == 8 and col[2] == "num":
            return (f"ALTER TABLE {table} ADD CONSTRAINT {table}_{col[0]}_positive_{self.uid()} "
                    f"CHECK ({col[0]} >= 0) NOT VALID;")
        return f"ALTER TABLE {table} ALTER COLUMN {col[0]} SET NOT NULL;"

    def trigger(self, table):
        fn = f"{table}_{self.pick(['set_updated_at', 'audit', 'touch_parent', 'normalize'])}_{self.uid()}"
        self.schema.functions.append(fn)
        style = self.rng.randrange(3)
        if style == 0:
            body = (
                "BEGIN\n"
                "    -- Only touch the timestamp when something actually changed.\n"
                "    IF NEW IS DISTINCT FROM OLD THEN\n"
                "        NEW.updated_at := now();\n"
                "    END IF;\n"
                "    RETURN NEW;\n"
                "END;"
            )
        elif style == 1:
            body = (
                "DECLARE\n"
                "    changed jsonb;\n"
                "BEGIN\n"
                "    changed := to_jsonb(NEW) - 'updated_at';\n"
                f"    INSERT INTO audit_events (table_name, row_id, action, payload, created_at)\n"
                f"    VALUES ('{table}', NEW.id, TG_OP, changed, now());\n"
                "    RETURN NEW;\n"
                "EXCEPTION WHEN undefined_table THEN\n"
                "    RAISE NOTICE 'audit table missing: %', SQLERRM;\n"
                "    RETURN NEW;\n"
                "END;"
            )
        else:
            text_col = self.column_of(table, {"text"})
            target = text_col[0] if text_col else "id"
            body = (
                "BEGIN\n"
                f"    IF TG_OP = 'INSERT' OR NEW.{target} IS DISTINCT FROM OLD.{target} THEN\n"
                f"        NEW.updated_at := clock_timestamp();\n"
                "    END IF;\n"
                "    FOR i IN 1..3 LOOP\n"
                "        PERFORM pg_notify('row_changed', TG_TABLE_NAME || ':' || i::text);\n"
                "    END LOOP;\n"
                "    RETURN NEW;\n"
                "END;"
            )
        tag = self.pick(["$$", "$$", "$fn$", "$body$"])
        function = (
            f"CREATE OR REPLACE FUNCTION {fn}() RETURNS trigger\n"
            f"LANGUAGE plpgsql\nAS {tag}\n{body}\n{tag};"
        )
        timing = self.pick(["BEFORE UPDATE", "BEFORE INSERT OR UPDATE", "AFTER INSERT OR UPDATE OR DELETE"])
        trigger_name = f"{table}_{self.uid()}_trigger"
        trigger = (
            f"CREATE TRIGGER {trigger_name}\n    {timing} ON {table}\n"
            f"    FOR EACH ROW\n    EXECUTE FUNCTION {fn}();"
        )
        stmts = [function]
        if self.chance(0.3):
            stmts.append(f"DROP TRIGGER IF EXISTS {trigger_name} ON {table};")
        stmts.append(trigger)
        return stmts

    def sql_function(self):
        table = self.table()
        fn = f"{table}_count_{self.uid()}"
        return (
            f"CREATE OR REPLACE FUNCTION {fn}(since timestamptz DEFAULT now() - interval '7 days')\n"
            f"RETURNS bigint\nLANGUAGE sql STABLE\nAS $$\n"
            f"    SELECT count(*) FROM {table} WHERE created_at >= since;\n$$;"
        )

    def enum(self):
        name = f"{self.pick(ENTITIES)}_{self.pick(['status', 'kind', 'state', 'tier'])}_{self.uid()}"
        labels = self.rng.sample(
            ["pending", "active", "suspended", "archived", "deleted", "draft", "published",
             "failed", "succeeded", "refunded", "trial", "gold", "silver"],
            self.rng.randrange(3, 7),
        )
        self.schema.enums[name] = labels
        return f"CREATE TYPE {name} AS ENUM ({', '.join(repr(l) for l in labels)});"

    def enum_add_value(self):
        name = self.pick(list(self.schema.enums))
        label = f"value_{self.uid()}"
        where = ""
        if self.chance(0.3):
            where = f" BEFORE '{self.schema.enums[name][0]}'"
        self.schema.enums[name].append(label)
        return f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS '{label}'{where};"

    def comment(self, table):
        text = self.pick([
            "Source of truth for billing state.",
            "Denormalized; rebuilt nightly by the ETL job.",
            "Don''t write to this directly: use the API.",
            "Kept for audit (7 years).",
            "Soft-deleted rows have deleted_at set.",
        ])
        if self.chance(0.5):
            return f"COMMENT ON TABLE {table} IS '{text}';"
        col = self.pick(self.schema.tables[table])
        return f"COMMENT ON COLUMN {table}.{col[0]} IS '{text}';"

    def insert(self, table):
        cols = [c for c in self.schema.tables[table] if c[0] != "id" and c[2] != "enum"][:6]
        if not cols:
            return f"INSERT INTO {table} DEFAULT VALUES;"
        rows = []
        for _ in range(self.rng.randrange(1, 6)):
            rows.append("(" + ", ".join(self.literal(c[2]) for c in cols) + ")")
        conflict = " ON CONFLICT DO NOTHING" if self.chance(0.3) else ""
        names = ", ".join(c[0] for c in cols)
        return f"INSERT INTO {table} ({names})\nVALUES\n    " + ",\n    ".join(rows) + conflict + ";"

    def insert_select(self, table):
        source = self.table()
        return (
            f"INSERT INTO {table} (id, created_at)\n"
            f"SELECT s.id, s.created_at FROM {source} AS s\n"
            f"WHERE s.created_at < '2024-01-01' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = s.id)\n"
            f"ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at;"
        )

    def update(self, table):
        col = self.pick(self.schema.tables[table])
        if col[0] in ("id", "updated_at"):
            col = ("updated_at", "timestamptz", "ts")
        if self.chance(0.3):
            other = self.table()
            return (
                f"UPDATE {table} AS t\nSET {col[0]} = {self.literal(col[2])}"
                + ("" if col[0] == "updated_at" else ", updated_at = now()")
                + "\n"
                f"FROM {other} AS o\nWHERE o.id = t.id AND o.created_at < now() - interval '90 days';"
            )
        return (
            f"UPDATE {table} SET {col[0]} = {self.literal(col[2])} "
            f"WHERE id IN (SELECT id FROM {table} WHERE {col[0]} IS NULL LIMIT {self.pick([500, 1000, 5000])});"
        )

    def delete(self, table):
        return self.pick([
            f"DELETE FROM {table} WHERE created_at < now() - interval '{self.rng.randrange(30, 400)} days';",
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} ORDER BY id LIMIT 1000);",
            f"DELETE FROM {table} t USING {self.table()} o WHERE o.id = t.id AND o.created_at IS NULL;",
        ])

    def view(self):
        table = self.table()
        cols = [c[0] for c in self.schema.tables[table][:5]]
        name = f"{table}_summary_{self.uid()}"
        self.schema.views.append(name)
        return (
            f"CREATE OR REPLACE VIEW {name} AS\n"
            f"SELECT {', '.join('t.' + c for c in cols)}, count(*) OVER (PARTITION BY t.id) AS n\n"
            f"FROM {table} AS t\nWHERE t.created_at > now() - interval '1 year'\nORDER BY t.id;"
        )

    def do_block(self):
        role = self.pick(ROLES)
        return (
            "DO $$\nBEGIN\n"
            f"    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN\n"
            f"        CREATE ROLE {role} NOLOGIN;\n"
            "    END IF;\nEND\n$$;"
        )

    def lock_timeout(self):
        return self.pick([
            "SET lock_timeout = '2s';",
            "SET lock_timeout TO '5s';",
            "SET LOCAL lock_timeout = '1s';",
            "SET statement_timeout = '15min';",
            "SET LOCAL statement_timeout = 60000;",
        ])


    def extras(self, table):
        """Less common but real forms: partitions, RLS, identity, INCLUDE and opclass indexes,
        materialized views, CTE backfills, quoted identifiers, escape strings, locks."""
        u = self.uid()
        col = self.pick(self.schema.tables[table])[0]
        kind = self.rng.randrange(14)
        if kind == 0:
            name = f"events_{u}"
            return f"partition_{name}", self.wrap([
                f"CREATE TABLE {name} (\n    id bigint NOT NULL,\n    occurred_at timestamptz NOT NULL,\n"
                f"    payload jsonb,\n    PRIMARY KEY (id, occurred_at)\n) PARTITION BY RANGE (occurred_at);",
                f"CREATE TABLE {name}_2024 PARTITION OF {name}\n"
                f"    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
                f"CREATE TABLE {name}_2025 (LIKE {name} INCLUDING DEFAULTS INCLUDING CONSTRAINTS);",
                f"ALTER TABLE {name} ATTACH PARTITION {name}_2025\n"
                f"    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');",
            ])
        if kind == 1:
            role = self.pick(ROLES)
            return f"rls_{table}", self.wrap([
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
                f"CREATE POLICY {table}_tenant_{u} ON {table}\n    FOR SELECT TO {role}\n"
                f"    USING (id = current_setting('app.tenant_id')::bigint);",
                f"REVOKE ALL ON {table} FROM PUBLIC;",
                f"GRANT SELECT, INSERT, UPDATE ON {table} TO {role};",
            ])
        if kind == 2:
            return f"identity_{table}", self.wrap([
                f"ALTER TABLE {table} ADD COLUMN legacy_number_{u} integer;",
                f"ALTER TABLE {table} ALTER COLUMN legacy_number_{u} ADD GENERATED BY DEFAULT AS IDENTITY;",
                f"ALTER SEQUENCE IF EXISTS {table}_legacy_number_{u}_seq RESTART WITH 1000;",
            ])
        if kind == 3:
            name = f"{table}_{u}_covering"
            return f"covering_index_{table}", [
                f"CREATE INDEX CONCURRENTLY {name} ON {table} USING btree (id) INCLUDE ({col});",
                f"ALTER INDEX IF EXISTS {name} RENAME TO {name}_idx;",
                f"CREATE INDEX CONCURRENTLY {table}_{u}_trgm ON {table} USING gin (({col}::text) gin_trgm_ops);",
            ]
        if kind == 4:
            name = f"{table}_{u}_id_key"
            return f"unique_using_index_{table}", [
                f"CREATE UNIQUE INDEX CONCURRENTLY {name} ON {table} (id);",
                f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE USING INDEX {name};",
            ]
        if kind == 5:
            name = f"{table}_daily_{u}"
            return f"matview_{name}", [
                f"CREATE MATERIALIZED VIEW IF NOT EXISTS {name} AS\n"
                f"SELECT date_trunc('day', created_at) AS day, count(*) AS n\nFROM {table}\nGROUP BY 1\n"
                f"WITH NO DATA;",
                f"CREATE UNIQUE INDEX {name}_day ON {name} (day);",
                f"REFRESH MATERIALIZED VIEW CONCURRENTLY {name};",
            ]
        if kind == 6:
            return f"cte_backfill_{table}", self.wrap([
                f"WITH batch AS (\n    SELECT id FROM {table}\n    WHERE {col} IS NULL\n    ORDER BY id\n"
                f"    LIMIT 1000\n    FOR UPDATE SKIP LOCKED\n)\nUPDATE {table} AS t\nSET updated_at = now()\n"
                f"FROM batch\nWHERE t.id = batch.id\nRETURNING t.id;",
            ])
        if kind == 7:
            return f"quoted_{table}", self.wrap([
                f'CREATE TABLE IF NOT EXISTS "Legacy{u}" (\n    "Id" bigint PRIMARY KEY,\n'
                f'    "Display Name" text NOT NULL,\n    "order" integer\n);',
                f'COMMENT ON COLUMN "Legacy{u}"."Display Name" IS E\'Shown in the UI.\\nMax 80 chars.\';',
                f'ALTER TABLE "Legacy{u}" RENAME COLUMN "order" TO sort_order;',
            ])
        if kind == 8:
            return f"lock_{table}", [
                "BEGIN;",
                "SET LOCAL lock_timeout = '3s';",
                f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE;",
                f"SELECT pg_advisory_xact_lock({u});",
                f"DELETE FROM {table} WHERE false;",
                "COMMIT;",
            ]
        if kind == 9:
            name = f"email_{u}"
            return f"domain_{name}", self.wrap([
                f"CREATE DOMAIN {name} AS text CHECK (VALUE ~* '^[^@]+@[^@]+$');",
                f"ALTER TABLE {table} ADD COLUMN contact_{u} {name};",
            ])
        if kind == 10:
            return f"generated_{table}", self.wrap([
                f"ALTER TABLE {table} ADD COLUMN search_{u} tsvector\n"
                f"    GENERATED ALWAYS AS (to_tsvector('simple', coalesce({col}::text, ''))) STORED;",
            ])
        if kind == 11:
            fn = f"{table}_stats_{u}"
            return f"function_{fn}", self.wrap([
                f"CREATE OR REPLACE FUNCTION {fn}(p_since date)\n"
                f"RETURNS TABLE (day date, total bigint)\nLANGUAGE sql STABLE PARALLEL SAFE\nAS $fn$\n"
                f"    SELECT created_at::date, count(*)\n    FROM {table}\n"
                f"    WHERE created_at >= p_since\n    GROUP BY 1\n    ORDER BY 1;\n$fn$;",
                f"ALTER FUNCTION {fn}(date) OWNER TO {self.pick(ROLES)};",
            ])
        if kind == 12:
            return f"settings_{table}", [
                "SET search_path TO public, billing;",
                f"ALTER TABLE {table} SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.05);",
                f"ALTER TABLE {table} REPLICA IDENTITY FULL;",
                "RESET search_path;",
                f"VACUUM (ANALYZE) {table};",
            ]
        return f"comment_block_{table}", [
            f"/* Nightly job relies on this index.\n   /* nested: see ticket OPS-{u} */ */\n"
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {table}_created_{u} ON {table} (created_at DESC NULLS LAST);",
            f"DROP INDEX CONCURRENTLY IF EXISTS {table}_created_old_{u};",
        ]

    # -- migrations ---------------------------------------------------------------------------

    def migration(self):
        """Returns (name, statements) for one migration file's worth of SQL."""
        s = self.schema
        if len(s.tables) < 5 or self.chance(0.1):
            table, _, create = self.create_table()
            stmts = [create, self.comment(table)]
            for _ in range(self.rng.randrange(0, 4)):
                stmts.append(self.create_index(table, concurrently=False))
            if self.chance(0.3):
                stmts += self.trigger(table)
            return f"create_{table}", self.wrap(stmts)
        kind = self.rng.randrange(18)
        table = self.table()
        if kind <= 2:
            col, add = self.add_column(table)
            stmts = [add]
            if self.chance(0.6):
                stmts += self.backfill(table, col)
                if self.chance(0.6):
                    stmts += self.set_not_null_safely(table, col)
            return f"add_{col[0]}_to_{table}", self.wrap(stmts)
        if kind == 3:
            return f"add_fk_{table}", self.wrap(self.add_foreign_key())
        if kind <= 5:
            stmts = [self.create_index(concurrently=True) for _ in range(self.rng.randrange(1, 3))]
            if s.indexes and self.chance(0.2):
                name, _ = self.pick(s.indexes)
                stmts.append(f"DROP INDEX CONCURRENTLY IF EXISTS {name};")
            return "concurrent_indexes", [self.lock_timeout()] + stmts
        if kind <= 7:
            stmts = [self.alter_misc(table) for _ in range(self.rng.randrange(1, 4))]
            return f"alter_{table}", self.wrap(stmts)
        if kind == 8:
            return f"trigger_{table}", self.wrap(self.trigger(table))
        if kind == 9:
            if not s.enums or self.chance(0.4):
                stmts = [self.enum()]
                col = f"{self.pick(['status', 'tier', 'kind'])}_{self.uid()}"
                enum_name = list(s.enums)[-1]
                default = f"'{s.enums[enum_name][0]}'"
                s.tables[table].append((col, enum_name, "enum"))
                stmts.append(f"ALTER TABLE {table} ADD COLUMN {col} {enum_name} DEFAULT {default};")
                return f"enum_{enum_name}", self.wrap(stmts)
            # ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PG 12.
            return "enum_add_value", [self.enum_add_value()]
        if kind <= 11:
            stmts = []
            for _ in range(self.rng.randrange(1, 5)):
                t = self.table()
                stmts.append(self.pick([self.insert, self.update, self.delete, self.insert_select])(t))
            return "data_fix", self.wrap(stmts)
        if kind == 12:
            return f"comments_{table}", [self.comment(table) for _ in range(self.rng.randrange(1, 4))]
        if kind == 13:
            stmts = [self.view()]
            if self.chance(0.5):
                stmts.append(f"GRANT SELECT ON {s.views[-1]} TO {self.pick(ROLES)};")
            if self.chance(0.3):
                stmts.append(self.sql_function())
            return "reporting_view", self.wrap(stmts)
        if kind == 14:
            stmts = [self.do_block()]
            if self.chance(0.3):
                stmts.append(f"CREATE EXTENSION IF NOT EXISTS \"{self.pick(EXTENSIONS)}\";")
            if self.chance(0.3):
                stmts.append(f"CREATE SCHEMA IF NOT EXISTS {self.pick(SCHEMAS[1:])};")
            if self.chance(0.3):
                stmts.append(f"CREATE SEQUENCE IF NOT EXISTS {table}_number_seq_{self.uid()} START 1000;")
            return "setup", stmts
        if kind >= 16:
            return self.extras(table)
        # Drops and renames of whole tables.
        if len(s.tables) > 20 and self.chance(0.5):
            del s.tables[table]
            return f"drop_{table}", self.wrap([f"DROP TABLE IF EXISTS {table} CASCADE;"])
        new = self.new_table_name()
        s.tables[new] = s.tables.pop(table)
        return f"rename_{table}", self.wrap([f"ALTER TABLE {table} RENAME TO {new};", "ANALYZE " + new + ";"])

    def wrap(self, stmts):
        """Wraps a migration in a transaction most of the time, the way migration tools do."""
        if self.chance(0.7):
            pre = [self.lock_timeout()] if self.chance(0.6) else []
            return ["BEGIN;"] + pre + stmts + ["COMMIT;"]
        return stmts

    def filler(self):
        """A single statement that stands alone (used to hit the exact statement count)."""
        return self.pick([self.lock_timeout, lambda: self.comment(self.table()),
                          lambda: self.create_index(concurrently=True)])()


def generate(n, seed, out):
    gen = Generator(seed)
    count = 0
    out.write(f"-- SafeShift benchmark corpus: {n} statements, seed {seed}.\n")
    out.write("-- Generated by Scripts/generate-corpus.py; do not edit.\n\n")
    while count < n:
        name, stmts = gen.migration()
        if count + len(stmts) > n:
            stmts = [gen.filler() for _ in range(n - count)]
            name = "tail"
        gen.migration_number += 1
        out.write(f"-- {gen.migration_number:05d}_{name}\n")
        for stmt in stmts:
            out.write(stmt)
            out.write("\n")
        out.write("\n")
        count += len(stmts)
    return count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=60000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out", help="output .sql file ('-' for stdout)")
    args = parser.parse_args()
    if args.out == "-":
        count = generate(args.statements, args.seed, sys.stdout)
    else:
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            count = generate(args.statements, args.seed, f)
        print(f"wrote {count} statements to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
