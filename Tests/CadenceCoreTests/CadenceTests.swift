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

/// Edges of what a runner types: the documented maximum speed is accepted, a distance of
/// nothing is not.
@Suite struct TypedUnitEdgeTests {
  @Test func speedsAtTheEdgesOfTheRange() {
    #expect(Speed(parsing: "30km/h") != nil)
    #expect(Speed(parsing: "1km/h") != nil)
    #expect(Speed(parsing: "30.01km/h") == nil && Speed(parsing: "0.99km/h") == nil)
    // 18.64 mph is 29.998 km/h; 18.65 mph is 30.01.
    #expect(Speed(parsing: "18.64mph") != nil && Speed(parsing: "18.65mph") == nil)
  }

  @Test func aDistanceIsMoreThanNothing() {
    #expect(parseDistanceMeters("0km") == nil && parseDistanceMeters("-0m") == nil)
    #expect(parseDistanceMeters("1e-9999km") == nil)
    #expect(parseDistanceMeters("0.1m") == 0.1 && parseDistanceMeters("200km") == 200_000)
    #expect(parseDistanceMeters("200.001km") == nil)
  }
}
