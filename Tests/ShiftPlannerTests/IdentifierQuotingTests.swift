import ShiftSyntax
import Testing

@Suite struct IdentifierQuotingTests {
  @Test(
    arguments: [
      ("users", "users"), ("Users", #""Users""#), ("full name", #""full name""#),
      (#"say "hi""#, #""say ""hi""""#), ("order", #""order""#), ("1st", #""1st""#),
      ("naïve", #""naïve""#), ("", #""""#), ("a$b", "a$b"),
    ]
  )
  func quotesWhatPostgreSQLWouldFoldOrReject(_ name: String, _ expected: String) {
    #expect(SQLIdentifier.quote(name) == expected)
  }
}
