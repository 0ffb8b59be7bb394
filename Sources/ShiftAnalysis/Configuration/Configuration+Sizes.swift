import Yams

extension Configuration {
  /// `tables: {users: {rows: 50000000, bytes: 4.2GB}, audit.events: {rows: 120}}`.
  static func parseTables(_ value: Node, path: String, into sizes: inout SizeSettings)
    throws(ConfigurationError)
  {
    guard let entries = value.mapping else {
      throw ConfigurationError(
        path: path,
        node: value,
        message: "tables must map table names to {rows: N, bytes: SIZE}"
      )
    }
    for (nameNode, sizeNode) in entries {
      guard let name = nameNode.string, !name.isEmpty else {
        throw ConfigurationError(path: path, node: nameNode, message: "expected a table name")
      }
      guard let fields = sizeNode.mapping else {
        throw ConfigurationError(
          path: path,
          node: sizeNode,
          message: "table '\(name)' must be a mapping such as {rows: 1000000, bytes: 2GB}"
        )
      }
      var size = TableSize()
      for (fieldNode, fieldValue) in fields {
        switch fieldNode.string {
        case "rows":
          guard let text = fieldValue.string, let rows = Int(text.filter { $0 != "_" }),
            rows >= 0
          else {
            throw ConfigurationError(
              path: path,
              node: fieldValue,
              message: "rows of '\(name)' must be a whole number"
            )
          }
          size.rows = rows
        case "bytes":
          guard let text = fieldValue.string, let bytes = SizeFormat.parseBytes(text) else {
            throw ConfigurationError(
              path: path,
              node: fieldValue,
              message: "bytes of '\(name)' must be a size such as 4.2GB, 500MB or 8192"
            )
          }
          size.bytes = bytes
        default:
          throw ConfigurationError(
            path: path,
            node: fieldNode,
            message: "unknown table size field '\(fieldNode.string ?? "")' (rows, bytes)"
          )
        }
      }
      guard size.isKnown else {
        throw ConfigurationError(
          path: path,
          node: sizeNode,
          message: "table '\(name)' needs rows, bytes or both"
        )
      }
      sizes.declaredTables[name] = size
    }
  }

  /// `sizeAware: false`, or `sizeAware: {briefBelow: 1s, briefLevel: info, errorFrom: 10s,
  /// scanRate: 200MB/s, indexBuildRate: 50MB/s, rewriteRate: 25MB/s, rowBytes: 100}`.
  static func parseSizeAware(_ value: Node, path: String, into sizes: inout SizeSettings)
    throws(ConfigurationError)
  {
    if let flag = value.bool, value.mapping == nil {
      sizes.isEnabled = flag
      return
    }
    guard let entries = value.mapping else {
      throw ConfigurationError(
        path: path,
        node: value,
        message: "sizeAware must be true, false or a mapping of size settings"
      )
    }
    for (keyNode, setting) in entries {
      let key = keyNode.string ?? ""
      func fail(_ message: String) -> ConfigurationError {
        ConfigurationError(path: path, node: setting, message: message)
      }
      switch key {
      case "enabled":
        guard let flag = setting.bool else { throw fail("sizeAware.enabled must be true or false") }
        sizes.isEnabled = flag
      case "briefBelow", "errorFrom":
        guard let text = setting.string, let seconds = SizeFormat.parseSeconds(text) else {
          throw fail("sizeAware.\(key) must be a duration such as 1s, 500ms or 2min")
        }
        if key == "briefBelow" { sizes.briefBelowSeconds = seconds }
        if key == "errorFrom" { sizes.errorFromSeconds = seconds }
      case "briefLevel":
        let text = setting.string?.lowercased() ?? (setting.bool == false ? "off" : "")
        guard let level = RuleLevel(rawValue: text), level != .error else {
          throw fail("sizeAware.briefLevel must be off, info or warning")
        }
        sizes.briefLevel = level
      case "scanRate", "indexBuildRate", "rewriteRate":
        guard let text = setting.string, let rate = SizeFormat.parseRate(text) else {
          throw fail("sizeAware.\(key) must be a throughput such as 25MB/s")
        }
        switch key {
        case "scanRate": sizes.scanBytesPerSecond = rate
        case "indexBuildRate": sizes.indexBuildBytesPerSecond = rate
        default: sizes.rewriteBytesPerSecond = rate
        }
      case "rowBytes":
        guard let text = setting.string, let bytes = SizeFormat.parseBytes(text), bytes > 0 else {
          throw fail("sizeAware.rowBytes must be a positive size such as 100 or 2kB")
        }
        sizes.rowBytes = bytes
      default:
        throw ConfigurationError(
          path: path,
          node: keyNode,
          message: """
            unknown sizeAware setting '\(key)' (enabled, briefBelow, briefLevel, errorFrom, \
            scanRate, indexBuildRate, rewriteRate, rowBytes)
            """
        )
      }
    }
    if sizes.briefBelowSeconds > sizes.errorFromSeconds {
      throw ConfigurationError(
        path: path,
        node: value,
        message: "sizeAware.briefBelow must not be longer than sizeAware.errorFrom"
      )
    }
  }
}
