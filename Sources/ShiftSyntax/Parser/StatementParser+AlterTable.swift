import ShiftCore

extension StatementParser {
  mutating func parseAlterTable() throws(SyntaxError) -> AlterTable {
    try expect(.table)
    let ifExists = eatIfExists()
    let isOnly = eat(.only)
    let table = try qualifiedName("a table name")
    if at(kind: .op), let token = current, tokenEquals(token, "*") { index += 1 }
    var actions: [AlterTableAction] = []
    repeat {
      actions.append(try alterTableAction())
    } while eat(kind: .comma)
    return AlterTable(table: table, ifExists: ifExists, isOnly: isOnly, actions: actions)
  }

  private mutating func alterTableAction() throws(SyntaxError) -> AlterTableAction {
    let start = currentStart
    guard let head = current, head.kind == .word else {
      throw error(expected: "an ALTER TABLE action such as ADD, DROP, ALTER or RENAME")
    }
    index += 1
    let kind: AlterTableAction.Kind
    switch head.keyword {
    case .add:
      if atTableConstraintStart {
        kind = .addConstraint(try tableConstraint())
      } else {
        eat(.column)
        let ifNotExists = eatIfNotExists()
        kind = .addColumn(try columnDefinition(), ifNotExists: ifNotExists)
      }
    case .drop:
      if eat(.constraint) {
        let ifExists = eatIfExists()
        let name = try identifier("a constraint name")
        kind = .dropConstraint(name, ifExists: ifExists, isCascade: eatCascade())
      } else {
        eat(.column)
        let ifExists = eatIfExists()
        let name = try identifier("a column name")
        kind = .dropColumn(name, ifExists: ifExists, isCascade: eatCascade())
      }
    case .alter:
      if eat(.constraint) {
        let name = try identifier("a constraint name")
        try skipToTopLevelComma()
        kind = .alterConstraint(name)
      } else {
        eat(.column)
        kind = try alterColumn(try identifier("a column name"))
      }
    case .validate:
      try expect(.constraint)
      kind = .validateConstraint(try identifier("a constraint name"))
    case .rename:
      if eat(.constraint) {
        let old = try identifier("a constraint name")
        try expect(.to)
        kind = .renameConstraint(old, to: try identifier("a new constraint name"))
      } else if eat(.to) {
        kind = .renameTable(to: try identifier("a new table name"))
      } else {
        eat(.column)
        let old = try identifier("a column name")
        try expect(.to)
        kind = .renameColumn(old, to: try identifier("a new column name"))
      }
    case .set:
      kind = try alterTableSet()
    case .reset:
      kind = .resetStorageParameters(try storageParameterNames())
    case .attach:
      try expect(.partition)
      let partition = try qualifiedName("a partition name")
      if eat(.for) {
        try skipToTopLevelComma()
      } else {
        try expect(.default)
      }
      kind = .attachPartition(partition)
    case .detach:
      try expect(.partition)
      let partition = try qualifiedName("a partition name")
      let isConcurrent = eat(.concurrently)
      let isFinalize = eat(.finalize)
      kind = .detachPartition(partition, isConcurrent: isConcurrent, isFinalize: isFinalize)
    case .enable, .disable:
      let isEnable = head.keyword == .enable
      if eat(.replica) || eat(.always) {}
      if eat(.trigger) {
        let target: String
        if eat(.all) {
          target = "all"
        } else if eat(.user) {
          target = "user"
        } else {
          target = try identifier("a trigger name").value
        }
        kind = isEnable ? .enableTrigger(target) : .disableTrigger(target)
      } else if eat(.rule) {
        kind = .rule(try identifier("a rule name").value)
      } else if eat(.row) {
        try expect(.level)
        try expect(.security)
        kind = .rowLevelSecurity(isEnable ? "ENABLE" : "DISABLE")
      } else {
        throw error(expected: "TRIGGER, RULE or ROW LEVEL SECURITY")
      }
    case .force:
      try expect(.row)
      try expect(.level)
      try expect(.security)
      kind = .rowLevelSecurity("FORCE")
    case .no:
      if eat(.force) {
        try expect(.row)
        try expect(.level)
        try expect(.security)
        kind = .rowLevelSecurity("NO FORCE")
      } else {
        try expect(.inherit)
        kind = .noInherit(try qualifiedName("a parent table name"))
      }
    case .inherit:
      kind = .inherit(try qualifiedName("a parent table name"))
    case .replica:
      try expect(.identity)
      if eat(.using) {
        try expect(.index)
        kind = .replicaIdentity("USING INDEX " + (try identifier("an index name").value))
      } else {
        kind = .replicaIdentity(try word())
      }
    case .owner:
      try expect(.to)
      kind = .ownerTo(try identifier("a role name").value)
    case .cluster:
      try expect(.on)
      kind = .clusterOn(try identifier("an index name"))
    default:
      // OF type, NOT OF, and forms not modelled: keep the words, skip to the next action.
      var words = [upper(head)]
      while let token = current, token.kind == .word, words.count < 3 {
        words.append(upper(token))
        index += 1
      }
      try skipToTopLevelComma()
      kind = .other(words.joined(separator: " "))
    }
    return AlterTableAction(kind: kind, range: SourceRange(start: start, end: lastEnd))
  }

  private mutating func eatCascade() -> Bool {
    if eat(.cascade) { return true }
    eat(.restrict)
    return false
  }

  private mutating func alterTableSet() throws(SyntaxError) -> AlterTableAction.Kind {
    if eat(.schema) { return .setSchema(try identifier("a schema name")) }
    if eat(.logged) { return .setLogged }
    if eat(.unlogged) { return .setUnlogged }
    if eat(.tablespace) { return .setTablespace(try identifier("a tablespace name")) }
    if eat(.access) {
      try expect(.method)
      return .setAccessMethod(try identifier("an access method"))
    }
    if eat(.without) {
      if eat(.cluster) { return .setWithoutCluster }
      try expect(.oids)
      return .setWithoutOIDs
    }
    if at(kind: .leftParen) { return .setStorageParameters(try storageParameterNames()) }
    throw error(expected: "SCHEMA, LOGGED, UNLOGGED, TABLESPACE, ACCESS METHOD, WITHOUT or '('")
  }

  /// `( name [= value] [, …] )`, returning the lower-cased names.
  private mutating func storageParameterNames() throws(SyntaxError) -> [String] {
    try expect(kind: .leftParen, "'('")
    var names: [String] = []
    repeat {
      let name = try qualifiedName("a storage parameter")
      names.append(name.description)
      if at(kind: .op), let token = current, tokenEquals(token, "=") {
        index += 1
        guard let value = current, value.kind != .comma, value.kind != .rightParen else {
          throw error(expected: "a parameter value")
        }
        while let value = current, value.kind != .comma, value.kind != .rightParen { index += 1 }
      }
    } while eat(kind: .comma)
    try expect(kind: .rightParen, "')'")
    return names
  }

  private mutating func alterColumn(_ column: Identifier) throws(SyntaxError)
    -> AlterTableAction.Kind
  {
    if eat(.type) { return try columnType(column) }
    if eat(.set) {
      if eat(.data) {
        try expect(.type)
        return try columnType(column)
      }
      if eat(.default) { return .setDefault(column, try expression(.columnDefault)) }
      if eat(.not) {
        try expect(.null)
        return .setNotNull(column)
      }
      if eat(.statistics) {
        guard let token = current, token.kind == .number || token.kind == .op || token.kind == .word
        else { throw error(expected: "a statistics target") }
        var value = text(token)
        index += 1
        if token.kind == .op, let number = current, number.kind == .number {
          value += text(number)
          index += 1
        }
        return .setStatistics(column, value)
      }
      if eat(.storage) { return .setStorage(column, try word()) }
      if eat(.compression) {
        return .setCompression(column, try identifier("a compression method").value)
      }
      if eat(.generated) {
        try skipToTopLevelComma()
        return .alterIdentity(column)
      }
      if at(kind: .leftParen) {
        _ = try storageParameterNames()
        return .setColumnOptions(column)
      }
      // SET sequence_option (INCREMENT BY, START WITH, …) on an identity column.
      guard let option = current, option.kind == .word else {
        throw error(
          expected: "DEFAULT, NOT NULL, DATA TYPE, STATISTICS, STORAGE or a sequence option"
        )
      }
      try skipToTopLevelComma()
      return .alterIdentity(column)
    }
    if eat(.reset) {
      _ = try storageParameterNames()
      return .setColumnOptions(column)
    }
    if eat(.drop) {
      if eat(.default) { return .dropDefault(column) }
      if eat(.not) {
        try expect(.null)
        return .dropNotNull(column)
      }
      if eat(.identity) {
        _ = eatIfExists()
        return .alterIdentity(column)
      }
      if eat(.expression) {
        _ = eatIfExists()
        return .dropExpression(column)
      }
      throw error(expected: "DEFAULT, NOT NULL, IDENTITY or EXPRESSION")
    }
    if eat(.add) {
      try expect(.generated)
      let isAlways: Bool
      if eat(.always) {
        isAlways = true
      } else {
        try expect(.by)
        try expect(.default)
        isAlways = false
      }
      try expect(.as)
      try expect(.identity)
      if at(kind: .leftParen) { try skipParenthesized() }
      return .addIdentity(column, isAlways: isAlways)
    }
    if eat(.restart) {
      try skipToTopLevelComma()
      return .alterIdentity(column)
    }
    throw error(expected: "TYPE, SET, DROP, ADD or RESET after ALTER COLUMN \(column.value)")
  }

  private mutating func columnType(_ column: Identifier) throws(SyntaxError)
    -> AlterTableAction.Kind
  {
    let type = try typeName()
    if eat(.collate) { _ = try qualifiedName("a collation name") }
    var using: Expression?
    if eat(.using) { using = try expression() }
    return .alterColumnType(column, type, using: using)
  }
}
