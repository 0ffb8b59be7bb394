import Foundation
import ShiftCore
import ShiftSyntax
import Testing

@Test func scratchDump() throws {
  guard let path = ProcessInfo.processInfo.environment["DUMP"] else { return }
  let dialect: Dialect = ProcessInfo.processInfo.environment["DIALECT"] == "sqlite" ? .sqlite : .postgres
  let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  let source = SourceFile(path: path, bytes: bytes)
  let parsed = SQLParser.parse(source, dialect: dialect)
  var out = ""
  let verbose = ProcessInfo.processInfo.environment["VERBOSE"] != nil
  for s in parsed.statements {
    let l1 = source.location(at: s.range.start), l2 = source.location(at: s.range.end)
    out += "[\(l1)-\(l2)] \(s.kindName) term=\(s.hasTerminator) tx=\(s.isInTransactionBlock)/\(String(describing: s.transactionBlock))"
    if let e = s.syntaxError { out += " ERROR \(e.location) \(e.message)" }
    out += "\n"
    if verbose { out += "   \(s.kind)\n" }
  }
  for e in parsed.errors { out += "ERR \(e.render(in: source))\n" }
  if ProcessInfo.processInfo.environment["TOKENS"] != nil {
    for t in Lexer.tokenize(source, dialect: dialect) where !t.kind.isTrivia {
      out += "  \(t.kind) \(t.keyword) \(source.text(t.range).debugDescription)\n"
    }
  }
  try out.write(toFile: "/tmp/scratch/out.txt", atomically: true, encoding: .utf8)
}
