import ShiftAnalysis
import Testing

@Suite
struct SizeFormatTests {
  @Test("sizes, rates and durations parse with and without units")
  func parsing() {
    #expect(SizeFormat.parseBytes("8192") == 8192)
    #expect(SizeFormat.parseBytes("8kB") == 8192)
    #expect(SizeFormat.parseBytes("1.5 MB") == 1_572_864)
    #expect(SizeFormat.parseBytes("4.2GB") == 4_509_715_661)
    #expect(SizeFormat.parseBytes("10 bytes") == 10)
    #expect(SizeFormat.parseBytes("lots") == nil)
    #expect(SizeFormat.parseBytes("-1MB") == nil)
    #expect(SizeFormat.parseRate("25MB/s") == 26_214_400)
    #expect(SizeFormat.parseRate("0MB/s") == nil)
    #expect(SizeFormat.parseSeconds("500ms") == 0.5)
    #expect(SizeFormat.parseSeconds("2min") == 120)
    #expect(SizeFormat.parseSeconds("10") == 10)
    #expect(SizeFormat.parseSeconds("1h") == 3600)
    #expect(SizeFormat.parseSeconds("soon") == nil)
  }

  @Test("quantities print as psql and people write them")
  func printing() {
    #expect(SizeFormat.bytes(0) == "0 bytes")
    #expect(SizeFormat.bytes(8192) == "8 kB")
    #expect(SizeFormat.bytes(4_509_715_660) == "4.2 GB")
    #expect(SizeFormat.bytes(812 * 1_048_576) == "812 MB")
    #expect(SizeFormat.rate(26_214_400) == "25 MB/s")
    #expect(SizeFormat.rows(1) == "1 row")
    #expect(SizeFormat.rows(50) == "50 rows")
    #expect(SizeFormat.rows(12_345) == "12k rows")
    #expect(SizeFormat.rows(1_500_000) == "1.5M rows")
    #expect(SizeFormat.rows(50_000_000) == "50M rows")
    #expect(SizeFormat.duration(0.2) == "under 1 s")
    #expect(SizeFormat.duration(40.4) == "about 40 s")
    #expect(SizeFormat.duration(172) == "about 3 min")
    #expect(SizeFormat.duration(9000) == "about 2.5 h")
  }
}
