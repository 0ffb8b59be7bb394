public import ShiftSyntax

/// What SafeShift knows about the volatility of built-in functions, without a database.
///
/// The PostgreSQL table lists the `pg_catalog` functions that migrations commonly use in
/// defaults, generated columns, index expressions, checks and backfills, with the
/// volatility `pg_proc.provolatile` records. A name whose overloads differ (`date_trunc`
/// on `timestamp` is immutable, on `timestamptz` stable) has a range; verdicts use its
/// most volatile end. The integration suite checks the whole table against `pg_proc` of
/// a real server (`BuiltinVolatilityTests`).
public enum BuiltinVolatility {
  /// The volatility of a function name: the least and most volatile of its overloads.
  public struct Entry: Sendable, Hashable {
    /// The least volatile overload's volatility.
    public var least: Volatility
    /// The most volatile overload's volatility (what verdicts use).
    public var most: Volatility

    /// Creates an entry.
    public init(least: Volatility, most: Volatility) {
      self.least = least
      self.most = most
    }

    /// Every overload is immutable.
    public static let immutable = Entry(least: .immutable, most: .immutable)
    /// Every overload is stable.
    public static let stable = Entry(least: .stable, most: .stable)
    /// Every overload is volatile.
    public static let volatile = Entry(least: .volatile, most: .volatile)

    /// Overloads range from `least` to `most`.
    public static func between(_ least: Volatility, _ most: Volatility) -> Entry {
      Entry(least: least, most: most)
    }
  }

  /// PostgreSQL `pg_catalog` functions by name.
  public static let postgres: [String: Entry] = [
    "abbrev": .immutable,
    "abs": .immutable,
    "age": .between(.immutable, .stable),
    "array_append": .immutable,
    "array_cat": .immutable,
    "array_dims": .immutable,
    "array_fill": .immutable,
    "array_length": .immutable,
    "array_lower": .immutable,
    "array_ndims": .immutable,
    "array_position": .immutable,
    "array_positions": .immutable,
    "array_prepend": .immutable,
    "array_remove": .immutable,
    "array_replace": .immutable,
    "array_to_json": .stable,
    "array_to_string": .stable,
    "array_to_tsvector": .immutable,
    "array_upper": .immutable,
    "ascii": .immutable,
    "bit_length": .immutable,
    "broadcast": .immutable,
    "btrim": .immutable,
    "cardinality": .immutable,
    "cbrt": .immutable,
    "ceil": .immutable,
    "ceiling": .immutable,
    "char_length": .immutable,
    "character_length": .immutable,
    "chr": .immutable,
    "clock_timestamp": .volatile,
    "col_description": .stable,
    "concat": .stable,
    "concat_ws": .stable,
    "convert_from": .stable,
    "convert_to": .stable,
    "cos": .immutable,
    "current_database": .stable,
    "current_schema": .stable,
    "current_schemas": .stable,
    "current_setting": .stable,
    "current_user": .stable,
    "currval": .volatile,
    "date_bin": .immutable,
    "date_part": .between(.immutable, .stable),
    "date_trunc": .between(.immutable, .stable),
    "daterange": .immutable,
    "decode": .immutable,
    "degrees": .immutable,
    "div": .immutable,
    "encode": .immutable,
    "exp": .immutable,
    "extract": .between(.immutable, .stable),
    "factorial": .immutable,
    "family": .immutable,
    "floor": .immutable,
    "format": .stable,
    "format_type": .stable,
    "gcd": .immutable,
    "gen_random_uuid": .volatile,
    "has_table_privilege": .stable,
    "hashtext": .immutable,
    "hashtextextended": .immutable,
    "host": .immutable,
    "inet_client_addr": .stable,
    "inet_same_family": .immutable,
    "initcap": .immutable,
    "int4range": .immutable,
    "int8range": .immutable,
    "isempty": .immutable,
    "isfinite": .immutable,
    "json_array_length": .immutable,
    "json_build_array": .stable,
    "json_build_object": .stable,
    "json_extract_path": .immutable,
    "json_extract_path_text": .immutable,
    "json_object": .immutable,
    "json_strip_nulls": .immutable,
    "json_typeof": .immutable,
    "jsonb_array_length": .immutable,
    "jsonb_build_array": .stable,
    "jsonb_build_object": .stable,
    "jsonb_extract_path": .immutable,
    "jsonb_extract_path_text": .immutable,
    "jsonb_insert": .immutable,
    "jsonb_object": .immutable,
    "jsonb_path_exists": .immutable,
    "jsonb_path_match": .immutable,
    "jsonb_path_query_first": .immutable,
    "jsonb_pretty": .immutable,
    "jsonb_set": .immutable,
    "jsonb_set_lax": .immutable,
    "jsonb_strip_nulls": .immutable,
    "jsonb_typeof": .immutable,
    "justify_days": .immutable,
    "justify_hours": .immutable,
    "justify_interval": .immutable,
    "lastval": .volatile,
    "lcm": .immutable,
    "left": .immutable,
    "length": .between(.immutable, .stable),
    "ln": .immutable,
    "log": .immutable,
    "log10": .immutable,
    "lower": .immutable,
    "lower_inf": .immutable,
    "lpad": .immutable,
    "ltrim": .immutable,
    "make_date": .immutable,
    "make_interval": .immutable,
    "make_time": .immutable,
    "make_timestamp": .immutable,
    "make_timestamptz": .stable,
    "masklen": .immutable,
    "md5": .immutable,
    "min_scale": .immutable,
    "mod": .immutable,
    "network": .immutable,
    "nextval": .volatile,
    "normalize": .immutable,
    "now": .stable,
    "num_nonnulls": .immutable,
    "num_nulls": .immutable,
    "numrange": .immutable,
    "obj_description": .stable,
    "octet_length": .immutable,
    "overlaps": .between(.immutable, .stable),
    "overlay": .immutable,
    "pg_advisory_lock": .volatile,
    "pg_advisory_unlock": .volatile,
    "pg_advisory_xact_lock": .volatile,
    "pg_backend_pid": .stable,
    "pg_cancel_backend": .volatile,
    "pg_column_size": .stable,
    "pg_current_wal_lsn": .volatile,
    "pg_current_xact_id": .stable,
    "pg_get_serial_sequence": .stable,
    "pg_indexes_size": .volatile,
    "pg_notify": .volatile,
    "pg_postmaster_start_time": .stable,
    "pg_relation_size": .volatile,
    "pg_sleep": .volatile,
    "pg_table_size": .volatile,
    "pg_terminate_backend": .volatile,
    "pg_total_relation_size": .volatile,
    "pg_try_advisory_lock": .volatile,
    "pg_try_advisory_xact_lock": .volatile,
    "pg_typeof": .stable,
    "phraseto_tsquery": .between(.immutable, .stable),
    "pi": .immutable,
    "plainto_tsquery": .between(.immutable, .stable),
    "position": .immutable,
    "power": .immutable,
    "quote_ident": .immutable,
    "quote_literal": .between(.immutable, .stable),
    "quote_nullable": .between(.immutable, .stable),
    "radians": .immutable,
    "random": .volatile,
    "range_merge": .immutable,
    "regexp_count": .immutable,
    "regexp_instr": .immutable,
    "regexp_like": .immutable,
    "regexp_match": .immutable,
    "regexp_matches": .immutable,
    "regexp_replace": .immutable,
    "regexp_split_to_array": .immutable,
    "regexp_substr": .immutable,
    "repeat": .immutable,
    "replace": .immutable,
    "reverse": .immutable,
    "right": .immutable,
    "round": .immutable,
    "row_to_json": .stable,
    "rpad": .immutable,
    "rtrim": .immutable,
    "scale": .immutable,
    "session_user": .stable,
    "set_config": .volatile,
    "setseed": .volatile,
    "setval": .volatile,
    "setweight": .immutable,
    "sha224": .immutable,
    "sha256": .immutable,
    "sha384": .immutable,
    "sha512": .immutable,
    "sign": .immutable,
    "sin": .immutable,
    "split_part": .immutable,
    "sqrt": .immutable,
    "starts_with": .immutable,
    "statement_timestamp": .stable,
    "string_to_array": .immutable,
    "strpos": .immutable,
    "substr": .immutable,
    "substring": .immutable,
    "tan": .immutable,
    "timeofday": .volatile,
    "timezone": .between(.immutable, .stable),
    "to_ascii": .immutable,
    "to_char": .stable,
    "to_date": .stable,
    "to_hex": .immutable,
    "to_json": .stable,
    "to_jsonb": .stable,
    "to_number": .stable,
    "to_timestamp": .between(.immutable, .stable),
    "to_tsquery": .between(.immutable, .stable),
    "to_tsvector": .between(.immutable, .stable),
    "transaction_timestamp": .stable,
    "translate": .immutable,
    "trim_scale": .immutable,
    "trunc": .immutable,
    "ts_rank": .immutable,
    "tsrange": .immutable,
    "tstzrange": .immutable,
    "txid_current": .stable,
    "txid_current_if_assigned": .stable,
    "unistr": .immutable,
    "unnest": .immutable,
    "upper": .immutable,
    "upper_inf": .immutable,
    "version": .stable,
    "websearch_to_tsquery": .between(.immutable, .stable),
    "width_bucket": .immutable,
  ]

  /// The first PostgreSQL major version that has a function of the table (the others are
  /// in every supported version).
  public static let postgresSince: [String: Int] = [
    "date_bin": 14, "gen_random_uuid": 13, "jsonb_set_lax": 13, "min_scale": 13, "normalize": 13,
    "pg_current_xact_id": 13, "regexp_count": 15, "regexp_instr": 15, "regexp_like": 15,
    "regexp_substr": 15, "trim_scale": 13, "unistr": 14,
  ]

  /// Functions of common extensions, by extension name and function name.
  public static let postgresExtensions: [String: [String: Entry]] = [
    "uuid-ossp": [
      "uuid_generate_v1": .volatile, "uuid_generate_v1mc": .volatile,
      "uuid_generate_v3": .immutable, "uuid_generate_v4": .volatile,
      "uuid_generate_v5": .immutable, "uuid_nil": .immutable, "uuid_ns_dns": .immutable,
      "uuid_ns_oid": .immutable, "uuid_ns_url": .immutable, "uuid_ns_x500": .immutable,
    ],
    "pgcrypto": [
      "armor": .immutable, "crypt": .immutable, "dearmor": .immutable, "decrypt": .immutable,
      "decrypt_iv": .immutable, "digest": .immutable, "encrypt": .immutable,
      "encrypt_iv": .immutable, "gen_random_bytes": .volatile, "gen_salt": .volatile,
      "hmac": .immutable, "pgp_sym_decrypt": .immutable, "pgp_sym_encrypt": .volatile,
      "pgp_pub_decrypt": .immutable, "pgp_pub_encrypt": .volatile,
    ],
    "citext": ["citext": .immutable],
  ]

  /// SQL-standard value functions written as keywords (`CURRENT_TIMESTAMP`, `CURRENT_USER`):
  /// not `pg_proc` functions but expression nodes PostgreSQL treats as stable.
  public static let sqlValueFunctions: [String: Volatility] = [
    "current_catalog": .stable, "current_date": .stable, "current_role": .stable,
    "current_schema": .stable, "current_time": .stable, "current_timestamp": .stable,
    "current_user": .stable, "localtime": .stable, "localtimestamp": .stable,
    "session_user": .stable, "user": .stable,
  ]

  /// Function-call syntax that PostgreSQL turns into expression nodes rather than calls:
  /// immutable in themselves (their arguments decide).
  public static let postgresExpressionNodes: Set<String> = [
    "coalesce", "greatest", "least", "nullif", "trim",
  ]

  /// SQLite built-in functions.
  ///
  /// SQLite's deterministic functions are immutable here; `random()` and friends are
  /// volatile. The date and time functions
  /// are immutable unless they read the clock (`'now'` or no argument): then stable, as
  /// SQLite reads the clock once per statement step.
  public static let sqlite: [String: Volatility] = [
    "abs": .immutable, "acos": .immutable, "asin": .immutable, "atan": .immutable,
    "atan2": .immutable, "ceil": .immutable, "ceiling": .immutable, "changes": .volatile,
    "char": .immutable, "coalesce": .immutable, "concat": .immutable, "concat_ws": .immutable,
    "cos": .immutable, "current_date": .stable, "current_time": .stable,
    "current_timestamp": .stable, "date": .immutable, "datetime": .immutable, "degrees": .immutable,
    "exp": .immutable, "floor": .immutable, "format": .immutable, "glob": .immutable,
    "hex": .immutable, "ifnull": .immutable, "iif": .immutable, "instr": .immutable,
    "json": .immutable, "json_array": .immutable, "json_array_length": .immutable,
    "json_extract": .immutable, "json_insert": .immutable, "json_object": .immutable,
    "json_patch": .immutable, "json_quote": .immutable, "json_remove": .immutable,
    "json_replace": .immutable, "json_set": .immutable, "json_type": .immutable,
    "json_valid": .immutable, "julianday": .immutable, "last_insert_rowid": .volatile,
    "length": .immutable, "like": .immutable, "likelihood": .immutable, "likely": .immutable,
    "ln": .immutable, "log": .immutable, "log10": .immutable, "log2": .immutable,
    "lower": .immutable, "ltrim": .immutable, "max": .immutable, "min": .immutable,
    "mod": .immutable, "nullif": .immutable, "octet_length": .immutable, "pi": .immutable,
    "pow": .immutable, "power": .immutable, "printf": .immutable, "quote": .immutable,
    "radians": .immutable, "random": .volatile, "randomblob": .volatile, "replace": .immutable,
    "round": .immutable, "rtrim": .immutable, "sign": .immutable, "sin": .immutable,
    "sqlite_version": .stable, "sqrt": .immutable, "strftime": .immutable, "substr": .immutable,
    "substring": .immutable, "tan": .immutable, "time": .immutable, "timediff": .immutable,
    "total_changes": .volatile, "trim": .immutable, "trunc": .immutable, "typeof": .immutable,
    "unhex": .immutable, "unicode": .immutable, "unixepoch": .immutable,
    "unlikely": .immutable, "upper": .immutable, "zeroblob": .immutable,
  ]

  /// SQLite's date and time functions, which read the clock for `'now'` or no argument.
  public static let sqliteClockFunctions: Set<String> = [
    "date", "datetime", "julianday", "strftime", "time", "timediff", "unixepoch",
  ]

  /// The PostgreSQL entry for an unqualified (or `pg_catalog.`) function name: a built-in,
  /// then an extension function.
  public static func postgresEntry(_ name: String) -> Entry? {
    if let entry = postgres[name] { return entry }
    for functions in postgresExtensions.values {
      if let entry = functions[name] { return entry }
    }
    return nil
  }
}
