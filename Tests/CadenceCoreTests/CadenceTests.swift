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
