import Foundation
import ShiftCore
import ShiftSchema
import ShiftSyntax
import ShiftTestSupport
import Testing

/// A `pg_dump --schema-only` of the database that the PostgreSQL example migrations plus
/// ``extras`` built (PostgreSQL 15): replaying the dump as a `--schema` file must give the
/// same catalog as replaying the migrations.
@Suite struct SchemaDumpTests {
  static let extras = #"""
    CREATE EXTENSION IF NOT EXISTS btree_gist;
    CREATE INDEX orders_lower_note_idx ON orders (lower(note)) WHERE note IS NOT NULL;
    CREATE VIEW recent_orders AS SELECT id, status FROM orders WHERE created_at > now() - interval '1 day';
    CREATE SEQUENCE invoice_numbers OWNED BY orders.id;
    CREATE TABLE audit (id bigserial PRIMARY KEY, at timestamptz DEFAULT clock_timestamp(), payload jsonb, EXCLUDE USING gist (id WITH =));
    CREATE MATERIALIZED VIEW order_totals AS SELECT user_id, sum(amount_cents) AS total FROM orders GROUP BY user_id;
    CREATE UNIQUE INDEX ON order_totals (user_id);
    ALTER TABLE users ADD CONSTRAINT users_email_check CHECK (email LIKE '%@%') NOT VALID;
    """#

  static let dump = #"""
    \restrict zLG9YxfpmwTzie59o8EiU6gkyDQALNrhZgQREyoIDi1v4Ovb2sUnt6FdTHCvnGc

    SET statement_timeout = 0;
    SET lock_timeout = 0;
    SET idle_in_transaction_session_timeout = 0;
    SET client_encoding = 'UTF8';
    SET standard_conforming_strings = on;
    SELECT pg_catalog.set_config('search_path', '', false);
    SET check_function_bodies = false;
    SET xmloption = content;
    SET client_min_messages = warning;
    SET row_security = off;

    CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;

    COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

    CREATE TYPE public.order_status AS ENUM (
        'pending',
        'paid',
        'refunded',
        'shipped',
        'cancelled'
    );

    ALTER TYPE public.order_status OWNER TO postgres;

    CREATE FUNCTION public.set_updated_at() RETURNS trigger
        LANGUAGE plpgsql
        AS $$
    BEGIN
        -- Only touch the timestamp when something actually changed.
        IF NEW IS DISTINCT FROM OLD THEN
            NEW.updated_at := now();
        END IF;
        RETURN NEW;
    END;
    $$;

    ALTER FUNCTION public.set_updated_at() OWNER TO postgres;

    SET default_tablespace = '';

    SET default_table_access_method = heap;

    CREATE TABLE public.accounts (
        id bigint NOT NULL,
        name text NOT NULL,
        plan text DEFAULT 'free'::text NOT NULL,
        created_at timestamp with time zone DEFAULT now() NOT NULL
    );

    ALTER TABLE public.accounts OWNER TO postgres;

    ALTER TABLE public.accounts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME public.accounts_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );

    CREATE TABLE public.audit (
        id bigint NOT NULL,
        at timestamp with time zone DEFAULT clock_timestamp(),
        payload jsonb
    );

    ALTER TABLE public.audit OWNER TO postgres;

    CREATE SEQUENCE public.audit_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1;

    ALTER TABLE public.audit_id_seq OWNER TO postgres;

    ALTER SEQUENCE public.audit_id_seq OWNED BY public.audit.id;

    CREATE TABLE public.orders (
        id bigint NOT NULL,
        user_id bigint NOT NULL,
        project_id bigint,
        status public.order_status DEFAULT 'pending'::public.order_status NOT NULL,
        amount_cents integer NOT NULL,
        currency character(3) DEFAULT 'USD'::bpchar NOT NULL,
        note text,
        created_at timestamp with time zone DEFAULT now() NOT NULL
    );

    ALTER TABLE public.orders OWNER TO postgres;

    CREATE SEQUENCE public.invoice_numbers
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1;

    ALTER TABLE public.invoice_numbers OWNER TO postgres;

    ALTER SEQUENCE public.invoice_numbers OWNED BY public.orders.id;

    CREATE MATERIALIZED VIEW public.order_totals AS
     SELECT orders.user_id,
        sum(orders.amount_cents) AS total
       FROM public.orders
      GROUP BY orders.user_id
      WITH NO DATA;

    ALTER TABLE public.order_totals OWNER TO postgres;

    ALTER TABLE public.orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME public.orders_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );

    CREATE TABLE public.project_events (
        id bigint NOT NULL,
        project_id bigint NOT NULL,
        kind text NOT NULL,
        payload jsonb DEFAULT '{}'::jsonb NOT NULL,
        created_at timestamp with time zone DEFAULT now() NOT NULL
    );

    ALTER TABLE public.project_events OWNER TO postgres;

    ALTER TABLE public.project_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME public.project_events_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );

    CREATE TABLE public.projects (
        id bigint NOT NULL,
        account_id bigint NOT NULL,
        name text NOT NULL,
        created_at timestamp with time zone DEFAULT now() NOT NULL,
        archived_at timestamp with time zone
    );

    ALTER TABLE public.projects OWNER TO postgres;

    ALTER TABLE public.projects ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME public.projects_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );

    CREATE VIEW public.recent_orders AS
     SELECT orders.id,
        orders.status
       FROM public.orders
      WHERE (orders.created_at > (now() - '1 day'::interval));

    ALTER TABLE public.recent_orders OWNER TO postgres;

    CREATE TABLE public.users (
        id bigint NOT NULL,
        account_id bigint NOT NULL,
        email text NOT NULL,
        created_at timestamp with time zone DEFAULT now() NOT NULL,
        full_name text NOT NULL,
        updated_at timestamp with time zone DEFAULT now() NOT NULL
    );

    ALTER TABLE public.users OWNER TO postgres;

    ALTER TABLE public.users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
        SEQUENCE NAME public.users_id_seq
        START WITH 1
        INCREMENT BY 1
        NO MINVALUE
        NO MAXVALUE
        CACHE 1
    );

    ALTER TABLE ONLY public.audit ALTER COLUMN id SET DEFAULT nextval('public.audit_id_seq'::regclass);

    ALTER TABLE ONLY public.accounts
        ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);

    ALTER TABLE ONLY public.audit
        ADD CONSTRAINT audit_id_excl EXCLUDE USING gist (id WITH =);

    ALTER TABLE ONLY public.audit
        ADD CONSTRAINT audit_pkey PRIMARY KEY (id);

    ALTER TABLE ONLY public.orders
        ADD CONSTRAINT orders_pkey PRIMARY KEY (id);

    ALTER TABLE ONLY public.project_events
        ADD CONSTRAINT project_events_pkey PRIMARY KEY (id);

    ALTER TABLE ONLY public.projects
        ADD CONSTRAINT projects_pkey PRIMARY KEY (id);

    ALTER TABLE public.users
        ADD CONSTRAINT users_email_check CHECK ((email ~~ '%@%'::text)) NOT VALID;

    ALTER TABLE ONLY public.users
        ADD CONSTRAINT users_email_key UNIQUE (email);

    ALTER TABLE ONLY public.users
        ADD CONSTRAINT users_pkey PRIMARY KEY (id);

    CREATE UNIQUE INDEX order_totals_user_id_idx ON public.order_totals USING btree (user_id);

    CREATE INDEX orders_lower_note_idx ON public.orders USING btree (lower(note)) WHERE (note IS NOT NULL);

    CREATE INDEX orders_project_id_idx ON public.orders USING btree (project_id);

    CREATE INDEX orders_status_created_at_idx ON public.orders USING btree (status, created_at DESC);

    CREATE INDEX projects_account_id_idx ON public.projects USING btree (account_id);

    CREATE TRIGGER users_set_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

    ALTER TABLE ONLY public.orders
        ADD CONSTRAINT orders_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id);

    ALTER TABLE ONLY public.orders
        ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id);

    ALTER TABLE ONLY public.project_events
        ADD CONSTRAINT project_events_project_id_fkey FOREIGN KEY (project_id) REFERENCES public.projects(id) ON DELETE CASCADE;

    ALTER TABLE ONLY public.projects
        ADD CONSTRAINT projects_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id) ON DELETE CASCADE;

    ALTER TABLE ONLY public.users
        ADD CONSTRAINT users_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.accounts(id);

    \unrestrict zLG9YxfpmwTzie59o8EiU6gkyDQALNrhZgQREyoIDi1v4Ovb2sUnt6FdTHCvnGc
    """#

  /// What the comparison looks at, per table.
  static func summary(_ catalog: Catalog) -> [String] {
    var lines: [String] = []
    for (key, table) in catalog.tables.sorted(by: { $0.key < $1.key }) {
      lines.append("table \(key) unlogged=\(table.isUnlogged) complete=\(table.isComplete)")
      for column in table.columns {
        lines.append(
          "  column \(column.name) \(column.type?.description ?? "-") notNull=\(column.isNotNull)"
            + " default=\(column.defaultVolatility?.description ?? "-")"
            + " identity=\(column.identity?.rawValue ?? "-")"
        )
      }
      for constraint in table.constraints.sorted(by: { ($0.name ?? "") < ($1.name ?? "") }) {
        lines.append(
          "  constraint \(constraint.name ?? "-") \(constraint.kind.rawValue) \(constraint.columns)"
            + " validated=\(constraint.isValidated) index=\(constraint.indexName ?? "-")"
            + " references=\(constraint.reference.map { "\($0.table)\($0.columns)" } ?? "-")"
            + " onDelete=\(constraint.reference?.onDelete ?? "-")"
        )
      }
      for index in table.indexes.sorted(by: { $0.name < $1.name }) {
        lines.append(
          "  index \(index.name) unique=\(index.isUnique) \(index.columns.map { $0 ?? "(expr)" })"
            + " method=\(index.method ?? "-") partial=\(index.predicate != nil)"
            + " constraint=\(index.constraintName ?? "-")"
        )
      }
      for trigger in table.triggers {
        lines.append("  trigger \(trigger.name) \(trigger.function?.description ?? "-")")
      }
    }
    for (key, view) in catalog.views.sorted(by: { $0.key < $1.key }) {
      lines.append(
        "view \(key) materialized=\(view.isMaterialized) on \(view.referencedRelations)"
          + " indexes=\(view.indexes.map(\.name))"
      )
    }
    for (key, sequence) in catalog.sequences.sorted(by: { $0.key < $1.key }) {
      let owner = sequence.ownedBy.map { "\($0.table).\($0.column)" } ?? "-"
      lines.append("sequence \(key) owner=\(owner) identity=\(sequence.isIdentity)")
    }
    for (key, type) in catalog.types.sorted(by: { $0.key < $1.key }) {
      lines.append("type \(key) \(type.enumLabels ?? [])")
    }
    for (key, functions) in catalog.functions.sorted(by: { $0.key < $1.key }) {
      lines.append("function \(key) \(functions.map(\.volatility.rawValue))")
    }
    for (name, found) in catalog.extensions.sorted(by: { $0.key < $1.key }) {
      lines.append("extension \(name) in \(found.schema)")
    }
    return lines
  }

  @Test("a pg_dump replayed as a schema file equals the migrations it came from")
  func dumpEqualsMigrations() throws {
    var migrations = CatalogBuilder()
    for url in Fixtures.files(in: "migrations-examples/postgres") {
      let source = SourceFile(path: url.lastPathComponent, bytes: try Fixtures.bytes(url))
      migrations.replay(SQLParser.parse(source, dialect: .postgres))
    }
    let extraNotes = migrations.replay(SQLParser.parse(Self.extras, path: "0016_extras.sql"))
    #expect(extraNotes.flatMap(\.self).isEmpty)

    var dump = CatalogBuilder()
    let notes = dump.replay(SQLParser.parse(Self.dump, path: "structure.sql"), isSchemaFile: true)
    #expect(notes.flatMap(\.self).isEmpty, "\(notes.flatMap(\.self))")

    let expected = Self.summary(migrations.catalog)
    let actual = Self.summary(dump.catalog)
    #expect(actual.count == expected.count)
    #expect(expected.count > 60)
    #expect(
      expected.contains(
        "  constraint audit_id_excl exclusion [\"id\"] validated=true index=audit_id_excl"
          + " references=- onDelete=-"
      )
    )
    #expect(
      expected.contains("sequence public.invoice_numbers owner=public.orders.id identity=false")
    )
    #expect(
      expected.contains(
        "view public.order_totals materialized=true on [public.orders]"
          + " indexes=[\"order_totals_user_id_idx\"]"
      )
    )
    for (line, (mine, theirs)) in zip(expected, actual).enumerated() where mine != theirs {
      Issue.record("line \(line): migrations \(mine)\n      dump \(theirs)")
    }
    let origin = try #require(dump.catalog.table(named: "public.users")).origin
    guard case .schemaFile(let site) = origin else {
      Issue.record("expected a schema-file origin")
      return
    }
    #expect(site.path == "structure.sql")
  }
}
