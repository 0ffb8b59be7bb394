import ShiftCore
import ShiftSyntax
import Testing

@testable import ShiftCLI

/// The pipe parses on another thread; what comes out must be exactly what parsing the file
/// in one go gives, in order, errors included, however many batches it takes.
@Suite struct StatementPipeTests {
  @Test(arguments: [1, 255, 256, 257, StatementPipe.batchSize * (StatementPipe.capacity + 3) + 7])
  func batchesFollowTheFileInOrder(statementCount: Int) {
    let text = (0..<statementCount).map { "UPDATE t\($0) SET c = \($0) WHERE id = \($0);" }
      .joined(separator: "\n")
    let source = SourceFile(path: "many.sql", text: text)
    let pipe = StatementPipe.parse(source, dialect: .postgres)
    var ranges: [SourceRange] = []
    while let batch = pipe.next() {
      #expect(batch.count <= StatementPipe.batchSize)
      ranges += batch.map(\.range)
    }
    #expect(pipe.next() == nil)
    let parsed = SQLParser.parse(source, dialect: .postgres)
    #expect(ranges == parsed.statements.map(\.range))
    #expect(ranges.count == statementCount)
    #expect(pipe.errors.isEmpty)
  }

  @Test func errorsArriveWithTheEnd() {
    let source = SourceFile(path: "bad.sql", text: "SELECT 1;\nCREATE TABLE (;\nSELECT 'open")
    let pipe = StatementPipe.parse(source, dialect: .postgres)
    var count = 0
    while let batch = pipe.next() { count += batch.count }
    let parsed = SQLParser.parse(source, dialect: .postgres)
    #expect(count == parsed.statements.count)
    #expect(pipe.errors.map(\.location) == parsed.errors.map(\.location))
    #expect(pipe.errors.count == 2)
  }
}
