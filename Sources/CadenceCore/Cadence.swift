/// A running cadence: steps per minute, both feet counted (../shared/domain.md, "Cadence").
public struct Cadence: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// What the metronome accepts. Far wider than the 170-190 goal band so that walkers,
  /// beginners and sprinters can all use it; outside it a click track stops being useful.
  public static let playable: ClosedRange<Double> = 100...240
  /// The goal band from ../shared/domain.md: "Goal band: 170 to 190 spm".
  public static let goalBand: ClosedRange<Double> = 170...190

  public let spm: Double

  public init(spm: Double) throws(CadenceError) {
    guard spm.isFinite else { throw .notANumber(String(spm)) }
    guard Self.playable.contains(spm) else { throw .outOfRange(spm) }
    self.spm = spm
  }

  /// Parses "170", "173.5" or "173.5spm".
  public init(parsing text: String) throws(CadenceError) {
    var body = Substring(text.trimmed())
    if body.lowercased().hasSuffix("spm") { body = body.dropLast(3) }
    guard let value = parseDecimal(body) else { throw .notANumber(text) }
    try self.init(spm: value)
  }

  public static func < (a: Cadence, b: Cadence) -> Bool { a.spm < b.spm }

  /// "170" for whole values, "173.5" otherwise: how a runner writes a cadence.
  public var description: String { Self.format(spm) }

  public static func format(_ spm: Double) -> String {
    // Errors show what was typed, however absurd: only a value that fits is converted.
    guard spm.isFinite, abs(spm) < 1e12 else { return String(spm) }
    let tenths = (spm * 10).rounded()
    if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
    let whole = Int(tenths) / 10
    return "\(whole).\(abs(Int(tenths)) % 10)"
  }
}

public enum CadenceError: Error, Equatable, Sendable {
  case notANumber(String)
  case outOfRange(Double)
}

extension String {
  func trimmed() -> String {
    var s = Substring(self)
    while let f = s.first, f.isWhitespace { s.removeFirst() }
    while let l = s.last, l.isWhitespace { s.removeLast() }
    return String(s)
  }
}
