/// A small deterministic random number generator (SplitMix64), so retry jitter is a pure
/// function of its seed: tests pass a fixed seed, runs pass a random one.
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
  private var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) { self.state = seed }

  /// Creates a generator seeded from the system's generator.
  public init() {
    var system = SystemRandomNumberGenerator()
    self.state = system.next()
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var mixed = state
    mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
    mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
    return mixed ^ (mixed >> 31)
  }
}
