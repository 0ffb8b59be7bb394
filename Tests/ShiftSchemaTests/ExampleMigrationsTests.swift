import Foundation
import ShiftCore
import ShiftSchema
import ShiftSyntax
import ShiftTestSupport
import Testing

@Suite struct ExampleMigrationsTests {
  func parsedFiles(_ folder: String, dialect: Dialect) throws -> [ParsedFile] {
    let urls = Fixtures.files(in: "migrations-examples/\(folder)")
    #expect(!urls.isEmpty)
    return try urls.map { url in
      let source = SourceFile(path: url.lastPathComponent, bytes: try Fixtures.bytes(url))
      let file = SQLParser.parse(source, dialect: dialect)
      #expect(file.errors.isEmpty, "\(url.lastPathComponent): \(file.errors)")
      return file
    }
  }

  @Test("replaying the PostgreSQL examples gives the final schema")
  func postgres() throws {
    let files = try parsedFiles("postgres", dialect: .postgres)
    var builder = CatalogBuilder(dialect: .postgres)
    var allNotes: [Assumption] = []
    for file in files { allNotes += builder.replay(file).flatMap(\.self) }
    // 0012 drops a possibly INVALID leftover index with IF EXISTS before building it; on a
    // clean history there is nothing to drop, which the replay notes and nothing else.
    #expect(allNotes.map(\.kind) == [.skippedMissing], "\(allNotes)")
    let catalog = builder.catalog

    #expect(
      catalog.tables.keys.map(\.description).sorted() == [
        "public.accounts", "public.orders", "public.project_events", "public.projects",
        "public.users",
      ]
    )
    let users = try #require(catalog.table(named: "users"))
    #expect(
      users.columnNames == [
        "id", "account_id", "email", "created_at", "full_name", "updated_at",
      ]
    )
    #expect(users.column(named: "full_name")?.isNotNull == true)
    #expect(users.column(named: "first_name") == nil)
    #expect(users.column(named: "updated_at")?.defaultVolatility == .stable)
    #expect(users.column(named: "id")?.identity == .always)
    #expect(
      catalog.constraintNames("users") == [
        "users_pkey", "users_email_key", "users_account_id_fkey",
      ]
    )
    #expect(users.triggers.map(\.name) == ["users_set_updated_at"])
    #expect(users.triggers.first?.function?.description == "public.set_updated_at")

    let orders = try #require(catalog.table(named: "orders"))
    #expect(orders.column(named: "amount_cents")?.type?.canonicalName == "int4")
    #expect(orders.column(named: "amount") == nil)
    #expect(orders.column(named: "currency")?.isNotNull == true)
    #expect(orders.column(named: "currency")?.type?.description == "bpchar(3)")
    #expect(orders.column(named: "status")?.type?.canonicalName == "public.order_status")
    #expect(
      catalog.constraintNames("orders") == [
        "orders_pkey", "orders_user_id_fkey", "orders_project_id_fkey",
      ]
    )
    let projectForeignKey = try #require(orders.constraint(named: "orders_project_id_fkey"))
    #expect(projectForeignKey.isValidated)
    #expect(projectForeignKey.reference?.table.description == "public.projects")
    #expect(projectForeignKey.reference?.columns == ["id"])
    #expect(
      catalog.indexNames("orders") == [
        "orders_pkey", "orders_status_created_at_idx", "orders_project_id_idx",
      ]
    )
    #expect(catalog.hasIndexCovering(columns: ["project_id"], on: "orders"))
    #expect(!catalog.hasIndexCovering(columns: ["user_id"], on: "orders"))
    #expect(
      catalog.type(named: "order_status")?.enumLabels == [
        "pending", "paid", "refunded", "shipped", "cancelled",
      ]
    )
    #expect(catalog.constraintNames("users").contains("users_full_name_not_null") == false)
    #expect(catalog.constraintNames("projects") == ["projects_pkey", "projects_account_id_fkey"])
    #expect(
      catalog.constraintNames("project_events") == [
        "project_events_pkey", "project_events_project_id_fkey",
      ]
    )
    #expect(catalog.sequence(named: "orders_id_seq")?.isIdentity == true)
    #expect(catalog.functions(named: "set_updated_at").first?.volatility == .volatile)

    // Origins: 0001's tables share its transaction block; 0011's table is its own file's.
    let accounts = try #require(catalog.table(named: "accounts"))
    #expect(accounts.origin.site?.path == "0001_create_initial_schema.sql")
    #expect(accounts.origin.isSameTransaction(as: orders.origin))
    #expect(!accounts.origin.isSameTransaction(as: users.column(named: "full_name")!.origin))
  }

  @Test("replaying the SQLite examples gives the final schema, rebuild included")
  func sqlite() throws {
    let files = try parsedFiles("sqlite", dialect: .sqlite)
    var builder = CatalogBuilder(dialect: .sqlite)
    var allNotes: [Assumption] = []
    for file in files { allNotes += builder.replay(file).flatMap(\.self) }
    #expect(allNotes.isEmpty, "\(allNotes)")
    let catalog = builder.catalog

    #expect(
      catalog.tables.keys.map(\.description).sorted() == [
        "main.accounts", "main.orders", "main.project_events", "main.projects", "main.user_audit",
        "main.users",
      ]
    )
    let users = try #require(catalog.table(named: "users"))
    #expect(
      users.columnNames == [
        "id", "account_id", "email", "created_at", "full_name", "updated_at",
      ]
    )
    #expect(catalog.indexNames("users") == ["sqlite_autoindex_users_1"])
    #expect(users.triggers.map(\.name) == ["users_touch_updated_at"])
    #expect(users.triggers.first?.updateColumns == ["email", "full_name"])

    let orders = try #require(catalog.table(named: "orders"))
    #expect(
      orders.columnNames == [
        "id", "user_id", "project_id", "status", "amount_cents", "currency", "note", "created_at",
      ]
    )
    #expect(orders.column(named: "currency")?.isNotNull == true)
    #expect(orders.column(named: "id")?.isNotNull == true)
    // The rebuilt table is the one created in 0007's transaction.
    #expect(orders.origin.site?.path == "0007_rebuild_orders_currency_not_null_user_fk.sql")
    #expect(orders.origin.site?.transactionBlock == 0)
    #expect(catalog.table(named: "new_orders") == nil)
    let foreignKeys = orders.constraints.filter { $0.kind == .foreignKey }
    #expect(foreignKeys.map(\.columns) == [["user_id"], ["project_id"]])
    #expect(foreignKeys.allSatisfy { $0.name == nil })
    #expect(foreignKeys.first?.reference?.table.description == "main.users")
    #expect(
      catalog.indexNames("orders") == [
        "orders_status_created_at_idx", "orders_user_id_idx",
      ]
    )
    #expect(catalog.hasIndexCovering(columns: ["user_id"], on: "orders"))
    #expect(!catalog.hasIndexCovering(columns: ["project_id"], on: "orders"))
    #expect(catalog.hasIndexCovering(columns: ["id"], on: "orders"))  // rowid
    #expect(catalog.indexes(on: "orders").first?.keys.last?.options == ["DESC"])
    #expect(catalog.indexNames("project_events") == ["project_events_project_id_idx"])
    #expect(catalog.table(named: "projects")?.column(named: "archived_at") != nil)
  }
}
