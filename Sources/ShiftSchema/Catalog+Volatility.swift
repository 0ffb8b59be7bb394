public import ShiftSyntax

extension Catalog {
  /// How volatile an expression is: the most volatile of its function calls, casts and
  /// operators.
  ///
  /// Functions are looked up among PostgreSQL's (or SQLite's) built-ins
  /// (``BuiltinVolatility``), then the catalog's user functions (with the volatility their
  /// `CREATE FUNCTION` declared), then known extension functions; anything else makes the
  /// verdict `.unknown` with its name, unless a known part is volatile anyway.
  ///
  /// Casts: a quoted literal cast to a type is a constant (PostgreSQL converts it when it
  /// parses the statement), so `'2024-01-01'::timestamptz` is immutable. Other casts are
  /// stable when PostgreSQL's conversion depends on settings: text to or from date/time
  /// types, `timestamp` ↔ `timestamptz`, `money`, and the `reg*` types (`x::regclass`).
  /// When the source type is unknown (a column outside `table`, a function result), a
  /// cast to one of those types counts as stable. Operators are immutable except
  /// arithmetic and comparison that mix `timestamptz` with dates, times or intervals.
  /// A subquery's contents are not parsed: it makes the verdict unknown (`subquery`).
  /// - Parameters:
  ///   - expression: the expression.
  ///   - table: the table whose columns the expression reads, when known (generated
  ///     columns, index expressions, checks): column types then refine cast verdicts.
  /// - Returns: the verdict.
  public func volatility(of expression: Expression, in table: ObjectName? = nil)
    -> VolatilityVerdict
  {
    let context = table.flatMap { tables[$0] }
    return verdict(expression, context)
  }

  /// The volatility of calling the function `name` (a built-in, user or extension
  /// function), or `nil` when it is not known.
  public func volatility(ofFunction name: QualifiedName) -> Volatility? {
    let function = normalize(name.name)
    let schema = name.qualifier.map(normalize)
    if dialect == .sqlite {
      return BuiltinVolatility.sqlite[function]
    }
    if schema == nil || schema == "pg_catalog" {
      if let known = BuiltinVolatility.sqlValueFunctions[function] { return known }
      if BuiltinVolatility.postgresExpressionNodes.contains(function) { return .immutable }
      if let entry = BuiltinVolatility.postgres[function] { return entry.most }
    }
    if schema != "pg_catalog" {
      let overloads = functions(named: name)
      if !overloads.isEmpty {
        return overloads.map(\.volatility).max { rank($0) < rank($1) }
      }
      if let entry = BuiltinVolatility.postgresEntry(function) { return entry.most }
    }
    return nil
  }

  private func rank(_ volatility: Volatility) -> Int {
    switch volatility {
    case .immutable: 0
    case .stable: 1
    case .volatile: 2
    }
  }

  private func verdict(_ expression: Expression, _ table: Table?) -> VolatilityVerdict {
    switch expression {
    case .literal, .column, .parameter:
      return .immutable
    case .function(let call):
      var result = call.arguments.reduce(VolatilityVerdict.immutable) {
        $0.combined(with: verdict($1, table))
      }
      if dialect == .sqlite,
        BuiltinVolatility.sqliteClockFunctions.contains(normalize(call.name.name))
      {
        let readsClock =
          call.arguments.isEmpty
          || call.arguments.contains {
            if case .literal(.string(let text), _) = $0 { return text.lowercased() == "now" }
            return false
          }
        return result.combined(with: readsClock ? .stable : .immutable)
      }
      if let overload = builtinOverloadVolatility(call, table) {
        result = result.combined(with: VolatilityVerdict(overload))
      } else if let known = volatility(ofFunction: call.name) {
        result = result.combined(with: VolatilityVerdict(known))
      } else {
        result = result.combined(with: .unknown([call.name.description]))
      }
      return result
    case .cast(let inner, let type, _):
      switch inner {
      case .literal(.string, _), .literal(.null, _): return .immutable  // a constant
      default: break
      }
      let innerVerdict = verdict(inner, table)
      guard dialect == .postgres else { return innerVerdict }
      let cast = castVolatility(from: staticType(inner, table), to: type)
      return innerVerdict.combined(with: VolatilityVerdict(cast))
    case .unary(_, let inner, _):
      return verdict(inner, table)
    case .binary(let op, let left, let right, _):
      var result = verdict(left, table).combined(with: verdict(right, table))
      if dialect == .postgres,
        mixesZonedTime(op, staticType(left, table), staticType(right, table))
      {
        result = result.combined(with: .stable)
      }
      return result
    case .compound(let kind, let items, _):
      if kind == "subquery" { return .unknown(["subquery"]) }
      var result = items.reduce(VolatilityVerdict.immutable) {
        $0.combined(with: verdict($1, table))
      }
      if kind == "at time zone",
        items.count == 1 || (dialect == .postgres && staticType(items[0], table) == "timetz")
      {
        result = result.combined(with: .stable)
      }
      return result
    }
  }

  // MARK: - Overloads

  /// For a built-in whose overloads differ in volatility, the volatility of the overload
  /// the call's argument count and evident argument types select; `nil` when the call does
  /// not name such a built-in or the overload cannot be told (the most volatile applies).
  private func builtinOverloadVolatility(_ call: FunctionCall, _ table: Table?) -> Volatility? {
    guard dialect == .postgres,
      call.name.qualifier == nil || call.name.qualifier?.value == "pg_catalog"
    else { return nil }
    let name = normalize(call.name.name)
    guard let entry = BuiltinVolatility.postgres[name], entry.least != entry.most else {
      return nil
    }
    let arguments = call.arguments
    let types = arguments.map { argument -> String? in
      if case .literal(.string, _) = argument { return "unknown" }
      return staticType(argument, table)
    }
    func known(_ type: String?) -> String? { type == "unknown" ? nil : type }
    switch name {
    case "age":
      return arguments.count == 1 ? .stable : .immutable
    case "length", "to_timestamp":
      return arguments.count == 1 ? .immutable : .stable
    case "to_tsvector", "to_tsquery", "plainto_tsquery", "phraseto_tsquery", "websearch_to_tsquery":
      return arguments.count == 1 ? .stable : .immutable
    case "date_part", "extract", "date_trunc":
      if name == "date_trunc", arguments.count == 3 { return .stable }
      guard let type = types.last.flatMap(known) else { return nil }
      return type == "timestamptz" ? .stable : .immutable
    case "timezone":
      guard arguments.count == 2, let type = known(types[1]) else { return nil }
      return type == "timetz" ? .stable : .immutable
    case "numeric":
      guard let type = types.first.flatMap(known) else { return nil }
      return type == "money" ? .stable : .immutable
    case "quote_literal", "quote_nullable":
      // The anyelement overloads are SQL functions that PostgreSQL inlines into
      // `quote_literal($1::text)`: the cast to text decides.
      guard let type = types.first ?? nil else { return nil }
      if type == "unknown" || Self.textTypes.contains(type) { return .immutable }
      return castVolatility(
        from: type,
        to: TypeName(name: "text", canonicalName: "text", range: call.range)
      )
    case "overlaps":
      let written = types.compactMap(known)
      guard written.count == arguments.count else { return nil }
      return written.contains("timestamptz") && written.contains("interval") ? .stable : .immutable
    default:
      return nil
    }
  }

  // MARK: - Casts and operators

  /// Types whose text conversion depends on settings (DateStyle, TimeZone, lc_monetary,
  /// search_path), so casts between them and text are stable.
  static let settingDependentTypes: Set<String> = [
    "date", "time", "timetz", "timestamp", "timestamptz", "interval", "money", "regclass",
    "regtype", "regproc", "regprocedure", "regoper", "regoperator", "regnamespace", "regrole",
    "regconfig", "regdictionary", "regcollation",
  ]

  /// Casts between non-text types that PostgreSQL marks stable.
  static let stableCasts: Set<String> = [
    "date>timestamptz", "time>timetz", "timestamp>timestamptz", "timestamptz>date",
    "timestamptz>time", "timestamptz>timetz", "timestamptz>timestamp", "int4>money",
    "int8>money", "numeric>money", "money>numeric",
  ]

  static let textTypes: Set<String> = ["text", "varchar", "bpchar", "name"]

  /// The volatility of PostgreSQL's cast from `source` (canonical name; `nil` when
  /// unknown) to `target`.
  func castVolatility(from source: String?, to target: TypeName) -> Volatility {
    let targetName = target.isArray ? "array" : target.canonicalName
    guard let source else {
      return Self.settingDependentTypes.contains(targetName) ? .stable : .immutable
    }
    if source == targetName { return .immutable }
    if Self.textTypes.contains(source) {
      if targetName == "time" || targetName == "timetz" || targetName == "xml" { return .stable }
      return Self.settingDependentTypes.contains(targetName) ? .stable : .immutable
    }
    if Self.textTypes.contains(targetName) {
      let stableSources: Set<String> = [
        "date", "timestamp", "timestamptz", "interval", "money", "regclass", "regtype", "regproc",
        "regprocedure", "regoper", "regoperator", "regnamespace", "regrole", "regconfig",
        "regdictionary", "regcollation",
      ]
      return stableSources.contains(source) ? .stable : .immutable
    }
    return Self.stableCasts.contains(source + ">" + targetName) ? .stable : .immutable
  }

  /// Whether a binary operator mixes `timestamptz`/`timetz` with another date or time type
  /// (or adds an interval), which depends on the TimeZone setting.
  private func mixesZonedTime(_ op: String, _ left: String?, _ right: String?) -> Bool {
    guard let left, let right else { return false }
    let zoned: Set<String> = ["timestamptz", "timetz"]
    let temporal: Set<String> = ["date", "time", "timestamp", "interval"]
    guard zoned.contains(left) || zoned.contains(right) else { return false }
    let other = zoned.contains(left) ? right : left
    if other == "interval" { return op == "+" || op == "-" }
    return temporal.contains(other)
  }

  /// The canonical type of an expression when it is evident: casts, typed literals,
  /// columns of `table`, numbers, booleans and the date/time value functions.
  func staticType(_ expression: Expression, _ table: Table?) -> String? {
    switch expression {
    case .literal(let literal, _):
      switch literal {
      case .number(let text):
        return text.contains(".") || text.lowercased().contains("e") ? "numeric" : "int4"
      case .boolean: return "bool"
      default: return nil
      }
    case .cast(_, let type, _):
      return type.isArray ? "array" : type.canonicalName
    case .column(let name):
      return table?.column(named: normalize(name.name))?.type?.canonicalName
    case .function(let call):
      guard call.name.qualifier == nil || call.name.qualifier?.value == "pg_catalog" else {
        return nil
      }
      return Self.functionTypes[normalize(call.name.name)]
    case .binary(let op, let left, let right, _):
      let types = (staticType(left, table), staticType(right, table))
      if op == "+" || op == "-" {
        if types.0 == "timestamptz", types.1 == "interval" { return "timestamptz" }
        if types.0 == "interval", types.1 == "timestamptz", op == "+" { return "timestamptz" }
      }
      return nil
    case .unary(_, let inner, _):
      return staticType(inner, table)
    case .parameter, .compound:
      return nil
    }
  }

  /// Result types of the value functions that matter for cast and operator verdicts.
  static let functionTypes: [String: String] = [
    "now": "timestamptz", "current_timestamp": "timestamptz", "clock_timestamp": "timestamptz",
    "transaction_timestamp": "timestamptz", "statement_timestamp": "timestamptz",
    "current_date": "date", "current_time": "timetz", "localtime": "time",
    "localtimestamp": "timestamp", "current_user": "name", "session_user": "name",
    "current_role": "name", "user": "name",
  ]
}
