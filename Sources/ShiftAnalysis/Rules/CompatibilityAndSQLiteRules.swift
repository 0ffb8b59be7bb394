import ShiftCore
import ShiftSchema
import ShiftSyntax

/// Rules about backward compatibility, data loss, type hygiene and SQLite.
let compatibilityAndSQLiteRules: [any Rule] = [
  BanDropTableRule(),
  BanDropSchemaRule(),
  BanDropDatabaseRule(),
  RenamingSchemaRule(),
  SetSchemaRule(),
  RenameEnumValueRule(),
  EnumAddValueInTransactionRule(),
  AddingRequiredFieldRule(),
  DropDefaultOnNotNullRule(),
  NarrowingColumnTypeRule(),
  BanTruncateCascadeRule(),
  PreferJSONBRule(),
  PreferTimestamptzRule(),
  PreferBigintOverIntRule(),
  PreferIdentityRule(),
  BanCharFieldRule(),
  SQLiteAddColumnNotNullWithoutDefaultRule(),
  SQLiteAddColumnNonConstantDefaultRule(),
  SQLiteDropColumnRestrictionsRule(),
  SQLiteForeignKeysDuringRebuildRule(),
]

extension RuleContext {
  /// Whether an object with this origin was created earlier in the file being checked
  /// (nobody else uses it yet).
  func isCreatedInThisFile(_ origin: Origin) -> Bool {
    guard case .migration(let site) = origin else { return false }
    return site.path == analyzed.path
  }

  /// Whether the relation existed before this file: known and not created in it, or unknown
  /// (assumed to exist, as the effect model does).
  func existedBeforeFile(_ name: QualifiedName) -> Bool {
    if let table = catalog.table(named: name) { return !isCreatedInThisFile(table.origin) }
    if let view = catalog.view(named: name) { return !isCreatedInThisFile(view.origin) }
    return true
  }

  /// Whether the statement drops `name` as part of a table rebuild: an earlier statement of
  /// the file copied its rows (`INSERT INTO … SELECT … FROM name`) into a table created in
  /// this file, which then takes its place (SQLite's 12-step recipe, or a PostgreSQL swap).
  func isRebuildCopySource(_ name: QualifiedName) -> Bool {
    history.copySources.contains(catalog.normalize(name.name))
  }

  /// Whether a known table existed before this file.
  func isKnownTableFromBefore(_ name: QualifiedName) -> Bool {
    guard let table = catalog.table(named: name) else { return false }
    return !isCreatedInThisFile(table.origin)
  }

  /// Whether an earlier statement of the file created the schema.
  func schemaCreatedInThisFile(_ schema: String) -> Bool {
    history.createdSchemas.contains(schema)
  }

  /// The tables of a schema, sorted, as the user writes them.
  func tables(inSchema schema: String) -> [String] {
    catalog.tables.keys.filter { $0.schema == schema }.sorted().map {
      SQLIdentifier.quote($0.schema) + "." + SQLIdentifier.quote($0.name)
    }
  }

  /// The columns (`table.column`) whose type is the user-defined type `type`.
  func columns(ofType type: TypeDefinition) -> [String] {
    var result: [String] = []
    for key in catalog.tables.keys.sorted() {
      guard let table = catalog.tables[key] else { continue }
      for column in table.columns {
        guard let columnType = column.type,
          catalog.type(named: columnType.canonicalName)?.name == type.name
        else { continue }
        result.append(SQLIdentifier.quote(key.name) + "." + SQLIdentifier.quote(column.name))
      }
    }
    return result
  }

  /// The string literals of the statement, without their quotes.
  var stringLiterals: [String] {
    let file = SourceFile(path: "", text: sql)
    return Lexer.tokenize(file, dialect: dialect).compactMap { token in
      guard token.kind == .string else { return nil }
      let text = file.text(token.range)
      guard text.hasPrefix("'"), text.hasSuffix("'"), text.count >= 2 else { return nil }
      var value = ""
      var previousWasQuote = false
      for character in text.dropFirst().dropLast() {
        if character == "'", previousWasQuote {
          previousWasQuote = false
          continue
        }
        previousWasQuote = character == "'"
        value.append(character)
      }
      return value
    }
  }
}

/// A column type the statement writes: in CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE.
struct DeclaredColumn {
  /// The table the column belongs to.
  var table: QualifiedName
  /// The column's name.
  var name: Identifier
  /// The type as written.
  var type: TypeName
  /// Whether the column is (part of) the primary key.
  var isPrimaryKey: Bool
}

extension RuleContext {
  /// The column types the statement declares.
  static func declaredColumns(of statement: Statement, catalog: Catalog) -> [DeclaredColumn] {
    switch statement.kind {
    case .createTable(let create):
      var keyColumns: Set<String> = []
      for constraint in create.constraints {
        if case .primaryKey(let columns, _) = constraint.kind {
          keyColumns.formUnion(columns.map(\.value))
        }
      }
      return create.columns.compactMap { column in
        guard let type = column.type else { return nil }
        let isKey = keyColumns.contains(column.name.value) || Self.isPrimaryKey(column)
        return DeclaredColumn(
          table: create.name,
          name: column.name,
          type: type,
          isPrimaryKey: isKey
        )
      }
    case .alterTable(let alter):
      return alter.actions.compactMap { action in
        switch action.kind {
        case .addColumn(let column, _):
          guard let type = column.type else { return nil }
          return DeclaredColumn(
            table: alter.table,
            name: column.name,
            type: type,
            isPrimaryKey: Self.isPrimaryKey(column)
          )
        case .alterColumnType(let column, let type, _):
          let keyColumns = catalog.table(named: alter.table)?.primaryKey?.columns ?? []
          return DeclaredColumn(
            table: alter.table,
            name: column,
            type: type,
            isPrimaryKey: keyColumns.contains(catalog.normalize(column))
          )
        default:
          return nil
        }
      }
    default:
      return []
    }
  }

  private static func isPrimaryKey(_ column: ColumnDefinition) -> Bool {
    column.constraints.contains {
      if case .primaryKey = $0.kind { return true }
      return false
    }
  }

  /// The statement's text with the bytes of `range` (inside it) replaced.
  func statementText(replacing range: SourceRange, with replacement: String) -> String {
    let bytes = Array(sql.utf8)
    let start = range.start - statement.range.start
    let end = range.end - statement.range.start
    guard start >= 0, end <= bytes.count, start <= end else { return sql }
    return String(decoding: bytes[..<start], as: UTF8.self) + replacement
      + String(decoding: bytes[end...], as: UTF8.self)
  }

  /// `table.column` as the user writes it.
  func columnName(_ column: DeclaredColumn) -> String {
    sqlName(column.table) + "." + SQLIdentifier.quote(column.name.value)
  }
}

extension RuleContext {
  /// The statement with `column`'s type written as `base` (modifiers and array brackets kept
  /// when `keepModifiers`).
  func statementText(
    retyping column: DeclaredColumn,
    as base: String,
    keepModifiers: Bool = false
  ) -> String {
    var replacement = base
    if keepModifiers, !column.type.modifiers.isEmpty {
      replacement += "(" + column.type.modifiers.joined(separator: ",") + ")"
    }
    if text(column.type.range).hasSuffix("]") {
      replacement += String(repeating: "[]", count: column.type.arrayDimensions)
    }
    return statementText(replacing: column.type.range, with: replacement)
  }
}
