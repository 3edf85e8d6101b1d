import CadenceCore

/// A key the live screens react to.
public enum Key: Equatable, Sendable {
  case up, down, pageUp, pageDown, space, quit
  case character(Character)
}

extension Key {
  /// The cadence change a tempo key asks for: up/down 1 spm, page up/down 5.
  public var cadenceStep: Double? {
    switch self {
    case .up: 1
    case .down: -1
    case .pageUp: 5
    case .pageDown: -5
    default: nil
    }
  }
}

/// `spm` moved by `step`, kept within what the metronome plays; nil if that changes nothing.
public func nudged(_ spm: Double, by step: Double) -> Double? {
  let next = min(max(spm + step, Cadence.playable.lowerBound), Cadence.playable.upperBound)
  return next == spm ? nil : next
}

/// Turns the bytes a terminal sends into keys, including escape sequences split across reads.
public struct KeyDecoder {
  private var pending: [UInt8] = []

  public init() {}

  public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
    pending += bytes
    var keys: [Key] = []
    while !pending.isEmpty {
      guard pending[0] == 0x1B else {
        keys.append(Self.plain(pending.removeFirst()))
        continue
      }
      switch Self.escape(pending) {
      case .incomplete: return keys
      case .key(let key, let length):
        if let key { keys.append(key) }
        pending.removeFirst(length)
      }
    }
    return keys
  }

  private static func plain(_ byte: UInt8) -> Key {
    switch byte {
    case UInt8(ascii: "+"), UInt8(ascii: "="): .up
    case UInt8(ascii: "-"), UInt8(ascii: "_"): .down
    case UInt8(ascii: " "): .space
    case UInt8(ascii: "q"), UInt8(ascii: "Q"): .quit
    default: .character(Character(Unicode.Scalar(byte)))
    }
  }

  private enum Parse {
    case incomplete
    case key(Key?, length: Int)
  }

  /// ESC [ A/B (arrows), ESC O A/B (application mode), ESC [ 5~ / 6~ (page keys),
  /// ESC [ 1;2A / 1;2B (shift+arrows, which count as page keys). Anything else is skipped.
  private static func escape(_ b: [UInt8]) -> Parse {
    guard b.count >= 2 else { return .incomplete }
    guard b[1] == UInt8(ascii: "[") || b[1] == UInt8(ascii: "O") else { return .key(nil, length: 1) }
    // Find the final byte of the control sequence (0x40...0x7E).
    var end = 2
    while end < b.count, !(0x40...0x7E).contains(b[end]) { end += 1 }
    guard end < b.count else { return b.count > 8 ? .key(nil, length: b.count) : .incomplete }
    let body = String(decoding: b[2..<end], as: UTF8.self)
    let final = Character(Unicode.Scalar(b[end]))
    let shifted = body == "1;2"
    let key: Key? =
      switch (final, body) {
      case ("A", ""): .up
      case ("B", ""): .down
      case ("A", _) where shifted: .pageUp
      case ("B", _) where shifted: .pageDown
      case ("~", "5"): .pageUp
      case ("~", "6"): .pageDown
      default: nil
      }
    return .key(key, length: end + 1)
  }
}
