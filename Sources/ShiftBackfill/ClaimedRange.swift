/// A key range of the ledger that one worker holds.
///
/// Keyset walks: keys in `(lower, upper]`, `lower` `nil` for the first range. Block walks:
/// blocks in `[lower, upper)`. `cursor` is where the last committed batch ended.
struct ClaimedRange: Sendable, Hashable {
  var number: Int
  var lower: [String]?
  var upper: [String]
  var cursor: [String]?
  var keysEstimated: Int

  /// Where the next batch starts (exclusive for keysets, inclusive for blocks).
  var position: [String]? { cursor ?? lower }

  var description: String { KeyValues.describeRange(lower: lower, upper: upper) }
}
