import ShiftCore
import ShiftSyntax
import Testing

@Suite struct ParserAlterTableTests {
  static let cases: [ParserCase] = [
    // ADD COLUMN and column types
    ParserCase(
      "add column with a type modifier",
      "ALTER TABLE users ADD COLUMN nickname varchar(255);",
      kind: "alter_table",
      tables: ["users"]
    ) { s in
      let alter = try #require(s.alterTable)
      #expect(!alter.ifExists && !alter.isOnly)
      try #require(alter.actions.count == 1)
      guard case .addColumn(let column, let ifNotExists) = alter.actions[0].kind else {
        Issue.record("not ADD COLUMN: \(alter.actions)")
        return
      }
      #expect(!ifNotExists)
      #expect(column.name.value == "nickname")
      #expect(column.type?.canonicalName == "varchar")
      #expect(column.type?.modifiers == ["255"])
      #expect(column.type?.arrayDimensions == 0)
      #expect(column.constraints.isEmpty)
    },
    ParserCase(
      "IF EXISTS, ONLY, schema and IF NOT EXISTS with a 2-D array",
      "ALTER TABLE IF EXISTS ONLY public.users ADD COLUMN IF NOT EXISTS tags text[][];",
      kind: "alter_table",
      tables: ["public.users"]
    ) { s in
      let alter = try #require(s.alterTable)
      #expect(alter.ifExists && alter.isOnly)
      #expect(alter.table.strings == ["public", "users"])
      guard case .addColumn(let column, let ifNotExists) = alter.actions.first?.kind else {
        Issue.record("not ADD COLUMN")
        return
      }
      #expect(ifNotExists)
      #expect(column.type?.canonicalName == "text")
      #expect(column.type?.arrayDimensions == 2)
      #expect(column.type?.isArray == true)
    },
    ParserCase(
      "ADD without COLUMN, numeric(10,2), NOT NULL DEFAULT 0",
      "ALTER TABLE t ADD balance numeric(10, 2) NOT NULL DEFAULT 0;",
      kind: "alter_table"
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      #expect(column.name.value == "balance")
      #expect(column.type?.modifiers == ["10", "2"])
      #expect(column.isNotNull)
      #expect(column.defaultValue?.literal == .number("0"))
    },
    ParserCase(
      "multi-word and array types get canonical names",
      """
      ALTER TABLE t ADD COLUMN a double precision, ADD COLUMN b timestamp with time zone,
        ADD COLUMN c character varying(20), ADD COLUMN d int ARRAY, ADD COLUMN e bit varying(5),
        ADD COLUMN f interval day to second, ADD COLUMN g pg_catalog.int4, ADD COLUMN h "char",
        ADD COLUMN i char(3), ADD COLUMN j float(24), ADD COLUMN k timestamp(3) without time zone,
        ADD COLUMN l billing.money_amount, ADD COLUMN m integer[3], ADD COLUMN n boolean;
      """,
      kind: "alter_table"
    ) { s in
      let types = s.actions.compactMap { $0.addedColumn?.type }
      #expect(
        types.map(\.canonicalName) == [
          "float8", "timestamptz", "varchar", "int4", "varbit", "interval", "int4", "char",
          "bpchar", "float4", "timestamp", "billing.money_amount", "int4", "bool",
        ]
      )
      #expect(types.map(\.arrayDimensions) == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
      #expect(types[1].name == "timestamp with time zone")
      #expect(types[2].name == "character varying")
      #expect(types[8].modifiers == ["3"])
      #expect(types[10].modifiers == ["3"])
    },
    // DEFAULT expressions
    ParserCase(
      "DEFAULT now() is a function call",
      "ALTER TABLE users ADD COLUMN updated_at timestamptz DEFAULT now();",
      kind: "alter_table"
    ) { s in
      let value = try #require(s.actions.first?.addedColumn?.defaultValue)
      #expect(value.calledFunctions == ["now"])
      #expect(value.call?.isKeywordForm == false)
      #expect(!value.isConstant)
    },
    ParserCase(
      "DEFAULT gen_random_uuid()",
      "ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();",
      kind: "alter_table"
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      #expect(column.defaultValue?.calledFunctions == ["gen_random_uuid"])
      #expect(column.type?.canonicalName == "uuid")
      #expect(column.isNotNull)
    },
    ParserCase(
      "DEFAULT nextval with a regclass cast",
      "ALTER TABLE users ADD COLUMN n bigint DEFAULT nextval('invoice_seq'::regclass);",
      kind: "alter_table"
    ) { s in
      let value = try #require(s.actions.first?.addedColumn?.defaultValue)
      let call = try #require(value.call)
      #expect(call.name.description == "nextval")
      try #require(call.arguments.count == 1)
      #expect(call.arguments[0].castType?.canonicalName == "regclass")
      #expect(call.arguments[0].children.first?.literal == .string("invoice_seq"))
    },
    ParserCase(
      "DEFAULT CURRENT_TIMESTAMP is a keyword-form call",
      "ALTER TABLE users ADD COLUMN confirmed_at timestamptz DEFAULT CURRENT_TIMESTAMP;",
      kind: "alter_table"
    ) { s in
      let call = try #require(s.actions.first?.addedColumn?.defaultValue?.call)
      #expect(call.name.description == "current_timestamp")
      #expect(call.isKeywordForm)
      #expect(call.arguments.isEmpty)
    },
    ParserCase(
      "DEFAULT current_timestamp(3) is not the keyword form",
      "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT current_timestamp(3);",
      kind: "alter_table"
    ) { s in
      let call = try #require(s.actions.first?.addedColumn?.defaultValue?.call)
      #expect(!call.isKeywordForm)
      #expect(call.arguments.first?.literal == .number("3"))
    },
    ParserCase(
      "constant defaults: -1, a cast string, a boolean",
      "ALTER TABLE t ADD COLUMN a int DEFAULT -1, ADD COLUMN b text DEFAULT 'en'::text, ADD COLUMN c boolean DEFAULT false;",
      kind: "alter_table"
    ) { s in
      let values = s.actions.compactMap { $0.addedColumn?.defaultValue }
      try #require(values.count == 3)
      #expect(values.allSatisfy { $0.isConstant })
      #expect(values[0].operatorText == "-")
      #expect(values[0].children.first?.literal == .number("1"))
      #expect(values[1].castType?.canonicalName == "text")
      #expect(values[2].literal == .boolean(false))
    },
    ParserCase(
      "DEFAULT (now() + interval '14 days')",
      "ALTER TABLE users ADD COLUMN trial_ends_at timestamptz DEFAULT (now() + interval '14 days');",
      kind: "alter_table"
    ) { s in
      let value = try #require(s.actions.first?.addedColumn?.defaultValue)
      #expect(value.operatorText == "+")
      #expect(value.calledFunctions == ["now"])
      #expect(value.children.last?.castType?.canonicalName == "interval")
    },
    ParserCase(
      "DEFAULT then COLLATE: the collation is a column constraint",
      "ALTER TABLE t ADD COLUMN label text DEFAULT lower('X') COLLATE \"C\" NOT NULL;",
      kind: "alter_table"
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      #expect(column.defaultValue?.calledFunctions == ["lower"])
      #expect(column.constraintKinds.contains(.collate("C")))
      #expect(column.isNotNull)
    },
    // Inline constraints
    ParserCase(
      "inline REFERENCES with ON DELETE CASCADE",
      "ALTER TABLE users ADD COLUMN account_id bigint REFERENCES accounts(id) ON DELETE CASCADE;",
      kind: "alter_table",
      tables: ["users", "accounts"]
    ) { s in
      let reference = try #require(s.actions.first?.addedColumn?.reference)
      #expect(
        reference
          == ForeignKeyReference(
            table: qname("accounts"),
            columns: idents("id"),
            onDelete: "CASCADE"
          )
      )
    },
    ParserCase(
      "named inline FK with SET NULL and NO ACTION",
      "ALTER TABLE users ADD COLUMN manager_id bigint CONSTRAINT users_manager_fk REFERENCES users (id) ON DELETE SET NULL ON UPDATE NO ACTION;",
      kind: "alter_table",
      tables: ["users"]
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      #expect(column.constraints.first?.name?.value == "users_manager_fk")
      #expect(column.reference?.onDelete == "SET NULL")
      #expect(column.reference?.onUpdate == "NO ACTION")
    },
    ParserCase(
      "generated stored column",
      "ALTER TABLE users ADD COLUMN full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED;",
      kind: "alter_table"
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      let expression = try #require(column.generatedExpression)
      #expect(expression.columnReferences.map(\.description) == ["first_name", "last_name"])
      guard case .generated(_, let isStored) = column.constraints.first?.kind else {
        Issue.record("not generated")
        return
      }
      #expect(isStored)
    },
    ParserCase(
      "identity columns: BY DEFAULT and ALWAYS",
      "ALTER TABLE t ADD COLUMN a bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10), ADD COLUMN b bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;",
      kind: "alter_table"
    ) { s in
      let columns = s.actions.compactMap(\.addedColumn)
      #expect(columns.map(\.identity) == [false, true])
      #expect(columns.map(\.isNotNull) == [false, true])
    },
    ParserCase(
      "COLLATE, UNIQUE and CHECK inline",
      "ALTER TABLE t ADD COLUMN code text COLLATE \"C\" UNIQUE CONSTRAINT code_nonempty CHECK (code <> '');",
      kind: "alter_table"
    ) { s in
      let column = try #require(s.actions.first?.addedColumn)
      try #require(column.constraints.count == 3)
      #expect(column.constraintKinds[0] == .collate("C"))
      #expect(column.constraintKinds[1] == .unique)
      #expect(column.constraints[2].name?.value == "code_nonempty")
      guard case .check(let condition) = column.constraintKinds[2] else {
        Issue.record("not CHECK")
        return
      }
      #expect(condition.columnReferences.map(\.description) == ["code"])
    },
    // DROP / ALTER COLUMN
    ParserCase(
      "drop columns with IF EXISTS, CASCADE and RESTRICT",
      "ALTER TABLE t DROP COLUMN IF EXISTS legacy CASCADE, DROP old RESTRICT;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .dropColumn(ident("legacy"), ifExists: true, isCascade: true),
          .dropColumn(ident("old"), ifExists: false, isCascade: false),
        ]
      )
    },
    ParserCase(
      "ALTER COLUMN TYPE … USING",
      "ALTER TABLE users ALTER COLUMN legacy_code TYPE bigint USING legacy_code::bigint;",
      kind: "alter_table"
    ) { s in
      guard case .alterColumnType(let column, let type, let using) = s.actions.first else {
        Issue.record("not ALTER COLUMN TYPE: \(s.actions)")
        return
      }
      #expect(column.value == "legacy_code")
      #expect(type.canonicalName == "int8")
      #expect(using?.castType?.canonicalName == "int8")
      #expect(using?.columnReferences.map(\.description) == ["legacy_code"])
    },
    ParserCase(
      "SET DATA TYPE with COLLATE and AT TIME ZONE",
      "ALTER TABLE t ALTER created_at SET DATA TYPE timestamptz USING created_at AT TIME ZONE 'UTC', ALTER COLUMN name TYPE varchar(10) COLLATE \"C\";",
      kind: "alter_table"
    ) { s in
      guard case .alterColumnType(_, let first, let using) = s.actions.first,
        case .alterColumnType(let second, let type, let noUsing) = s.actions.last
      else {
        Issue.record("not ALTER COLUMN TYPE: \(s.actions)")
        return
      }
      #expect(first.canonicalName == "timestamptz")
      #expect(using?.compoundKind == "at time zone")
      #expect(second.value == "name")
      #expect(type.description == "varchar(10)")
      #expect(noUsing == nil)
    },
    ParserCase(
      "SET/DROP DEFAULT and SET/DROP NOT NULL",
      "ALTER TABLE t ALTER COLUMN a SET DEFAULT 0, ALTER a DROP DEFAULT, ALTER COLUMN b SET NOT NULL, ALTER COLUMN c DROP NOT NULL;",
      kind: "alter_table"
    ) { s in
      try #require(s.actions.count == 4)
      guard case .setDefault(let column, let value) = s.actions[0] else {
        Issue.record("not SET DEFAULT")
        return
      }
      #expect(column.value == "a")
      #expect(value.literal == .number("0"))
      #expect(
        Array(s.actions[1...]) == [
          .dropDefault(ident("a")), .setNotNull(ident("b")), .dropNotNull(ident("c")),
        ]
      )
    },
    ParserCase(
      "SET DEFAULT CURRENT_TIMESTAMP",
      "ALTER TABLE ONLY t ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP;",
      kind: "alter_table"
    ) { s in
      guard case .setDefault(_, let value) = s.actions.first else {
        Issue.record("not SET DEFAULT")
        return
      }
      #expect(value.call?.isKeywordForm == true)
      #expect(s.alterTable?.isOnly == true)
    },
    ParserCase(
      "ADD GENERATED … AS IDENTITY and the other identity forms",
      """
      ALTER TABLE t ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY (START WITH 1000),
        ALTER COLUMN b ADD GENERATED BY DEFAULT AS IDENTITY, ALTER COLUMN c DROP IDENTITY IF EXISTS,
        ALTER COLUMN d SET GENERATED BY DEFAULT, ALTER COLUMN e RESTART WITH 5,
        ALTER COLUMN f DROP EXPRESSION;
      """,
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .addIdentity(ident("a"), isAlways: true), .addIdentity(ident("b"), isAlways: false),
          .alterIdentity(ident("c")), .alterIdentity(ident("d")), .alterIdentity(ident("e")),
          .dropExpression(ident("f")),
        ]
      )
    },
    ParserCase(
      "SET STATISTICS, STORAGE, COMPRESSION and column options",
      """
      ALTER TABLE t ALTER COLUMN a SET STATISTICS 500, ALTER COLUMN b SET STORAGE EXTERNAL,
        ALTER COLUMN c SET COMPRESSION lz4, ALTER COLUMN d SET (n_distinct = -0.5),
        ALTER COLUMN e SET STATISTICS -1, ALTER COLUMN f RESET (n_distinct);
      """,
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .setStatistics(ident("a"), "500"), .setStorage(ident("b"), "EXTERNAL"),
          .setCompression(ident("c"), "lz4"), .setColumnOptions(ident("d")),
          .setStatistics(ident("e"), "-1"), .setColumnOptions(ident("f")),
        ]
      )
    },
    // Constraints
    ParserCase(
      "ADD CONSTRAINT CHECK … NOT VALID",
      "ALTER TABLE users ADD CONSTRAINT users_login_count_check CHECK (login_count >= 0) NOT VALID;",
      kind: "alter_table"
    ) { s in
      let constraint = try #require(s.actions.first?.addedConstraint)
      #expect(constraint.name?.value == "users_login_count_check")
      #expect(constraint.isNotValid)
      guard case .check(let condition) = constraint.kind else {
        Issue.record("not CHECK")
        return
      }
      #expect(condition.operatorText == ">=")
      #expect(condition.columnReferences.map(\.description) == ["login_count"])
    },
    ParserCase(
      "UNIQUE and PRIMARY KEY column lists",
      "ALTER TABLE t ADD CONSTRAINT t_ab_key UNIQUE (a, b), ADD PRIMARY KEY (id);",
      kind: "alter_table"
    ) { s in
      let constraints = s.actions.compactMap(\.addedConstraint)
      #expect(
        constraints.map(\.kind) == [
          .unique(columns: idents("a", "b"), usingIndex: nil),
          .primaryKey(columns: idents("id"), usingIndex: nil),
        ]
      )
      #expect(constraints.map(\.name?.value) == ["t_ab_key", nil])
      #expect(constraints.map(\.isNotValid) == [false, false])
    },
    ParserCase(
      "FOREIGN KEY with referenced table, ON DELETE and NOT VALID",
      "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id) ON DELETE RESTRICT NOT VALID;",
      kind: "alter_table",
      tables: ["orders", "public.users"]
    ) { s in
      let constraint = try #require(s.actions.first?.addedConstraint)
      #expect(constraint.isNotValid)
      #expect(
        constraint.kind
          == .foreignKey(
            columns: idents("user_id"),
            reference: ForeignKeyReference(
              table: qname("public.users"),
              columns: idents("id"),
              onDelete: "RESTRICT"
            )
          )
      )
    },
    ParserCase(
      "FOREIGN KEY to the primary key, deferrable",
      "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users MATCH SIMPLE DEFERRABLE INITIALLY DEFERRED;",
      kind: "alter_table",
      tables: ["orders", "users"]
    ) { s in
      let constraint = try #require(s.actions.first?.addedConstraint)
      #expect(constraint.name == nil)
      #expect(constraint.isDeferrable)
      #expect(!constraint.isNotValid)
      guard case .foreignKey(_, let reference) = constraint.kind else {
        Issue.record("not FK")
        return
      }
      #expect(reference.columns.isEmpty)
      #expect(reference.onDelete == nil)
    },
    ParserCase(
      "EXCLUDE USING gist with WHERE",
      "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (ref <> 'none');",
      kind: "alter_table"
    ) { s in
      #expect(s.actions.first?.addedConstraint?.kind == .exclude(method: "gist"))
    },
    ParserCase(
      "PRIMARY KEY and UNIQUE USING INDEX",
      "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx, ADD CONSTRAINT t_token_key UNIQUE USING INDEX t_token_idx;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions.compactMap(\.addedConstraint).map(\.kind) == [
          .primaryKey(columns: [], usingIndex: ident("t_id_idx")),
          .unique(columns: [], usingIndex: ident("t_token_idx")),
        ]
      )
    },
    ParserCase(
      "DROP and VALIDATE CONSTRAINT",
      "ALTER TABLE t DROP CONSTRAINT IF EXISTS c CASCADE, VALIDATE CONSTRAINT d, DROP CONSTRAINT e;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .dropConstraint(ident("c"), ifExists: true, isCascade: true),
          .validateConstraint(ident("d")),
          .dropConstraint(ident("e"), ifExists: false, isCascade: false),
        ]
      )
    },
    ParserCase(
      "RENAME CONSTRAINT",
      "ALTER TABLE t RENAME CONSTRAINT old_check TO new_check;",
      kind: "alter_table"
    ) { s in
      #expect(s.actions == [.renameConstraint(ident("old_check"), to: ident("new_check"))])
    },
    ParserCase(
      "ALTER CONSTRAINT deferrability",
      "ALTER TABLE t ALTER CONSTRAINT t_fk DEFERRABLE INITIALLY DEFERRED;",
      kind: "alter_table"
    ) { s in
      #expect(s.actions == [.alterConstraint(ident("t_fk"))])
    },
    // Renames and moves
    ParserCase("RENAME TO", "ALTER TABLE orders RENAME TO purchase_orders;", kind: "alter_table") {
      s in
      #expect(s.actions == [.renameTable(to: ident("purchase_orders"))])
    },
    ParserCase(
      "RENAME COLUMN with and without COLUMN",
      "ALTER TABLE users RENAME COLUMN nickname TO handle;",
      kind: "alter_table"
    ) { s in
      #expect(s.actions == [.renameColumn(ident("nickname"), to: ident("handle"))])
      let other = try single("ALTER TABLE users RENAME handle TO nick;")
      #expect(other.actions == [.renameColumn(ident("handle"), to: ident("nick"))])
    },
    ParserCase(
      "quoted identifiers keep case and unescape doubled quotes",
      #"ALTER TABLE "Order Items" RENAME COLUMN "unit price" TO "Unit ""Net"" Price";"#,
      kind: "alter_table"
    ) { s in
      let alter = try #require(s.alterTable)
      #expect(alter.table.name.value == "Order Items")
      #expect(alter.table.name.isQuoted)
      guard case .renameColumn(let old, let new) = alter.actions.first?.kind else {
        Issue.record("not RENAME COLUMN")
        return
      }
      #expect(old.value == "unit price")
      #expect(new.value == #"Unit "Net" Price"#)
      #expect(new.isQuoted)
    },
    ParserCase(
      "unquoted names fold to lower case",
      "ALTER TABLE Public.USERS ADD COLUMN NickName TEXT;",
      kind: "alter_table",
      tables: ["public.users"]
    ) { s in
      #expect(s.actions.first?.addedColumn?.name.value == "nickname")
      #expect(s.actions.first?.addedColumn?.type?.canonicalName == "text")
    },
    ParserCase("SET SCHEMA", "ALTER TABLE bookings SET SCHEMA billing;", kind: "alter_table") { s in
      #expect(s.actions == [.setSchema(ident("billing"))])
    },
    ParserCase(
      "SET LOGGED / UNLOGGED / TABLESPACE / ACCESS METHOD",
      "ALTER TABLE t SET LOGGED, SET UNLOGGED, SET TABLESPACE fast_disk, SET ACCESS METHOD heap;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .setLogged, .setUnlogged, .setTablespace(ident("fast_disk")),
          .setAccessMethod(ident("heap")),
        ]
      )
    },
    ParserCase(
      "storage parameters SET and RESET",
      "ALTER TABLE t SET (fillfactor = 70, toast.autovacuum_enabled = false), RESET (fillfactor);",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .setStorageParameters(["fillfactor", "toast.autovacuum_enabled"]),
          .resetStorageParameters(["fillfactor"]),
        ]
      )
    },
    ParserCase(
      "ATTACH PARTITION FOR VALUES",
      "ALTER TABLE events ATTACH PARTITION events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
      kind: "alter_table",
      tables: ["events", "events_2024"]
    ) { s in
      #expect(s.actions == [.attachPartition(qname("events_2024"))])
    },
    ParserCase(
      "ATTACH PARTITION DEFAULT",
      "ALTER TABLE events ATTACH PARTITION events_other DEFAULT;",
      kind: "alter_table",
      tables: ["events", "events_other"]
    ) { s in
      #expect(s.actions == [.attachPartition(qname("events_other"))])
    },
    ParserCase(
      "DETACH PARTITION CONCURRENTLY",
      "ALTER TABLE events DETACH PARTITION events_2025 CONCURRENTLY;",
      kind: "alter_table",
      tables: ["events", "events_2025"]
    ) { s in
      #expect(
        s.actions == [.detachPartition(qname("events_2025"), isConcurrent: true, isFinalize: false)]
      )
      let plain = try single("ALTER TABLE events DETACH PARTITION events_2024;")
      #expect(
        plain.actions == [
          .detachPartition(qname("events_2024"), isConcurrent: false, isFinalize: false)
        ]
      )
      let finalize = try single("ALTER TABLE events DETACH PARTITION events_2024 FINALIZE;")
      #expect(
        finalize.actions == [
          .detachPartition(qname("events_2024"), isConcurrent: false, isFinalize: true)
        ]
      )
    },
    ParserCase(
      "ENABLE and DISABLE TRIGGER targets",
      "ALTER TABLE users DISABLE TRIGGER users_touch, ENABLE TRIGGER ALL, ENABLE REPLICA TRIGGER t2, DISABLE TRIGGER USER, ENABLE ALWAYS TRIGGER t3;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .disableTrigger("users_touch"), .enableTrigger("all"), .enableTrigger("t2"),
          .disableTrigger("user"),
          .enableTrigger("t3"),
        ]
      )
    },
    ParserCase(
      "REPLICA IDENTITY forms",
      "ALTER TABLE users REPLICA IDENTITY FULL, REPLICA IDENTITY USING INDEX users_token_key;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [.replicaIdentity("FULL"), .replicaIdentity("USING INDEX users_token_key")]
      )
    },
    ParserCase("OWNER TO", "ALTER TABLE users OWNER TO app_owner;", kind: "alter_table") { s in
      #expect(s.actions == [.ownerTo("app_owner")])
      let current = try single("ALTER TABLE users OWNER TO CURRENT_USER;")
      #expect(current.actions == [.ownerTo("current_user")])
    },
    ParserCase(
      "INHERIT and NO INHERIT name the parent",
      "ALTER TABLE user_audit INHERIT audit_base;",
      kind: "alter_table",
      tables: ["user_audit", "audit_base"]
    ) { s in
      #expect(s.actions == [.inherit(qname("audit_base"))])
      let no = try single("ALTER TABLE user_audit NO INHERIT audit_base;")
      #expect(no.actions == [.noInherit(qname("audit_base"))])
      #expect(no.tablesTouched.strings == ["user_audit", "audit_base"])
    },
    ParserCase(
      "row level security and CLUSTER ON",
      "ALTER TABLE users ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY, CLUSTER ON users_email_idx, SET WITHOUT CLUSTER;",
      kind: "alter_table"
    ) { s in
      #expect(
        s.actions == [
          .rowLevelSecurity("ENABLE"), .rowLevelSecurity("FORCE"), .rowLevelSecurity("NO FORCE"),
          .clusterOn(ident("users_email_idx")), .setWithoutCluster,
        ]
      )
    },
    ParserCase(
      "several different actions in one statement",
      """
      ALTER TABLE users
          ADD COLUMN deleted_at timestamptz,
          ADD COLUMN deleted_by bigint REFERENCES users (id),
          ALTER COLUMN phone TYPE varchar(32),
          DROP COLUMN IF EXISTS flags,
          ADD CONSTRAINT users_deleted_check CHECK ((deleted_at IS NULL) = (deleted_by IS NULL)) NOT VALID;
      """,
      kind: "alter_table",
      tables: ["users"]
    ) { s in
      let alter = try #require(s.alterTable)
      try #require(alter.actions.count == 5)
      #expect(alter.actions[0].kind.addedColumn?.name.value == "deleted_at")
      #expect(alter.actions[1].kind.addedColumn?.reference?.table == qname("users"))
      guard case .alterColumnType(let column, let type, .none) = alter.actions[2].kind else {
        Issue.record("not ALTER COLUMN TYPE")
        return
      }
      #expect(column.value == "phone")
      #expect(type.description == "varchar(32)")
      #expect(
        alter.actions[3].kind == .dropColumn(ident("flags"), ifExists: true, isCascade: false)
      )
      #expect(alter.actions[4].kind.addedConstraint?.isNotValid == true)
      // Each action's range covers its own text, in order and without overlap.
      let ranges = alter.actions.map(\.range)
      #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.end < $1.start })
    },
    ParserCase(
      "a table name with * includes descendants",
      "ALTER TABLE users* ALTER COLUMN is_admin SET DEFAULT true;",
      kind: "alter_table",
      tables: ["users"]
    ),
    ParserCase(
      "an unmodelled action keeps its words",
      "ALTER TABLE t OF some_type, NOT OF;",
      kind: "alter_table"
    ) { s in
      #expect(s.actions == [.other("OF SOME_TYPE"), .other("NOT OF")])
    },
    ParserCase(
      "ALTER TABLE ALL IN TABLESPACE is not a table called all",
      "ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE pg_default;",
      kind: "other"
    ) { s in
      #expect(s.otherKeywords?.hasPrefix("ALTER TABLE ALL") == true)
    },
  ]

  @Test(arguments: cases)
  func alterTableStatementsParseToTheirActions(_ testCase: ParserCase) throws {
    try testCase.run()
  }

  @Test func actionRangesPointAtTheirText() throws {
    let sql = "ALTER TABLE t ADD COLUMN a int, DROP COLUMN b, ALTER COLUMN c SET NOT NULL;"
    let statement = try single(sql)
    let source = SourceFile(path: "t", text: sql)
    let texts = try #require(statement.alterTable).actions.map { source.text($0.range) }
    #expect(texts == ["ADD COLUMN a int", "DROP COLUMN b", "ALTER COLUMN c SET NOT NULL"])
  }
}

/// One statement form: the SQL, the kind name and tables it must report, and a closure
/// with the AST details later rules rely on.
struct ParserCase: Sendable, CustomTestStringConvertible {
  var id: String
  var dialect: Dialect
  var sql: String
  var kind: String
  var tables: [String]?
  var check: @Sendable (Statement) throws -> Void

  init(
    _ id: String,
    _ sql: String,
    kind: String,
    dialect: Dialect = .postgres,
    tables: [String]? = nil,
    check: @escaping @Sendable (Statement) throws -> Void = { _ in }
  ) {
    self.id = id
    self.dialect = dialect
    self.sql = sql
    self.kind = kind
    self.tables = tables
    self.check = check
  }

  var testDescription: String { id }

  /// Parses the SQL as one statement and runs every check.
  func run() throws {
    let statement = try single(sql, dialect)
    #expect(statement.syntaxError == nil)
    #expect(statement.kindName == kind)
    if let tables { #expect(statement.tablesTouched.strings == tables) }
    try check(statement)
  }
}

/// `QualifiedName` from a dotted string (`public.users`), unquoted parts.
func qname(_ dotted: String) -> QualifiedName {
  QualifiedName(dotted.split(separator: ".").map { Identifier(String($0)) })
}

func ident(_ value: String) -> Identifier { Identifier(value) }

func idents(_ values: String...) -> [Identifier] { values.map { Identifier($0) } }

extension AlterTableAction.Kind {
  var addedColumn: ColumnDefinition? {
    if case .addColumn(let column, _) = self { return column }
    return nil
  }

  var addedConstraint: TableConstraint? {
    if case .addConstraint(let constraint) = self { return constraint }
    return nil
  }
}

extension ShiftSyntax.Expression {
  var literal: Literal? {
    if case .literal(let value, _) = self { return value }
    return nil
  }

  /// The type of a cast expression.
  var castType: TypeName? {
    if case .cast(_, let type, _) = self { return type }
    return nil
  }

  /// The operator of a unary or binary expression.
  var operatorText: String? {
    switch self {
    case .unary(let op, _, _), .binary(let op, _, _, _): op
    default: nil
    }
  }

  /// The construct name of a compound expression.
  var compoundKind: String? {
    if case .compound(let kind, _, _) = self { return kind }
    return nil
  }

  /// The single function call this expression is, if it is one.
  var call: FunctionCall? {
    if case .function(let call) = self { return call }
    return nil
  }
}
