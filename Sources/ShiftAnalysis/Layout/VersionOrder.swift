/// Version comparisons the runners use.
enum VersionOrder {
  /// Compares two runs of ASCII digits as unbounded non-negative integers.
  static func compareNumeric(_ left: Substring, _ right: Substring) -> Int {
    let a = left.drop { $0 == "0" }
    let b = right.drop { $0 == "0" }
    if a.count != b.count { return a.count < b.count ? -1 : 1 }
    if a == b { return 0 }
    return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
  }

  /// Flyway's `MigrationVersion` order: parts separated by `.` or `_`, compared
  /// numerically part by part; when one version runs out of parts, it is smaller unless
  /// all the other's remaining parts are zero (`1.0` equals `1`).
  static func compareFlyway(_ left: String, _ right: String) -> Int {
    let a = left.split(whereSeparator: { $0 == "." || $0 == "_" })
    let b = right.split(whereSeparator: { $0 == "." || $0 == "_" })
    for index in 0..<max(a.count, b.count) {
      let x = index < a.count ? a[index] : "0"
      let y = index < b.count ? b[index] : "0"
      let order = compareNumeric(x, y)
      if order != 0 { return order }
    }
    return 0
  }

  /// Byte-wise (lexical) order of two strings, as Go's and Rust's string sorts do.
  static func lexical(_ left: String, _ right: String) -> Bool {
    left.utf8.lexicographicallyPrecedes(right.utf8)
  }

  /// Whether every character is an ASCII digit (and there is at least one).
  static func isDigits(_ text: Substring) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  /// The leading ASCII digits of a string.
  static func leadingDigits(_ text: String) -> Substring {
    text.prefix { $0.isASCII && $0.isNumber }
  }
}
