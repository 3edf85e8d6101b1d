import Testing

@testable import CadenceCore

@Suite struct CadenceParsingTests {
  @Test(arguments: [
    ("170", 170.0), ("173.5", 173.5), (" 173.5spm ", 173.5), ("100", 100), ("240", 240), ("170.1", 170.1),
  ])
  func accepts(text: String, spm: Double) throws {
    #expect(try Cadence(parsing: text).spm == spm)
  }

  @Test func rejectsJunkAndOutOfRange() {
    #expect(throws: CadenceError.notANumber("abc")) { try Cadence(parsing: "abc") }
    #expect(throws: CadenceError.notANumber("")) { try Cadence(parsing: "") }
    #expect(throws: CadenceError.notANumber("nan")) { try Cadence(parsing: "nan") }
    #expect(throws: CadenceError.notANumber("inf")) { try Cadence(parsing: "inf") }
    #expect(throws: CadenceError.outOfRange(99.9)) { try Cadence(parsing: "99.9") }
    #expect(throws: CadenceError.outOfRange(240.1)) { try Cadence(parsing: "240.1") }
    #expect(throws: CadenceError.outOfRange(-170)) { try Cadence(parsing: "-170") }
  }

  @Test func formatsLikeARunnerWrites() {
    #expect(Cadence.format(170) == "170")
    #expect(Cadence.format(173.5) == "173.5")
    #expect(Cadence.format(170.04) == "170")
    #expect(Cadence.format(100.1) == "100.1")
  }
}

@Suite struct DecimalTests {
  @Test func plainDecimalsOnly() {
    for (text, value) in [("170", 170.0), ("-1.5", -1.5), ("+2e3", 2_000), (".5", 0.5), ("5.", 5), ("1E-2", 0.01)] {
      #expect(parseDecimal(text) == value, "\(text)")
    }
    for text in [
      "", "-", ".", "e5", "1e", "1e+", "0xAA", "0x1p3", "nan", "NaN", "inf", "-infinity", "1,5", "1_000", " 1", "1 ",
      "1e309", "١٧٠",
    ] {
      #expect(parseDecimal(text) == nil, "\(text)")
    }
  }
}
