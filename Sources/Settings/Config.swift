import CadenceCore
import Foundation

/// Defaults from $XDG_CONFIG_HOME/cadence/config.toml (default ~/.config/cadence/config.toml).
/// Options on the command line win over the file; the file wins over built-in defaults.
///
/// The file is flat TOML: `key = value` lines, `#` comments, strings, numbers and booleans.
/// Anything else, an unknown key or a bad value is an error that names the key and the line.
public struct Config: Equatable, Sendable {
  public var device: String?
  public var latency: Double?
  /// Milliseconds the device plays later than it reports (Bluetooth headphones that
  /// under-report their delay): added to what the screen allows for.
  public var offset: Double?
  public var sound: String?
  public var volume: Double?
  /// Minutes between form cues in a session.
  public var cueInterval: Double?
  public var voice: Bool?
  public var speedUnit: SpeedUnit?
  public var warmupMinutes: Double?
  /// The live view on a terminal: "big", "line" or "plain".
  public var screen: String?
  /// The Bluetooth foot pod and treadmill `play` and `session` read without `--sensor`
  /// (`cadence sensors use ADDRESS` writes them).
  public var footPod: String?
  public var treadmill: String?
  /// What the foot pod counts where its speed cannot tell: "steps" or "strides".
  public var footPodCounts: String?
  public static let screens = ["big", "line", "plain"]

  public enum SpeedUnit: String, Equatable, Sendable {
    case kmh = "km/h"
    case mph
  }

  /// How speeds and distances are shown: miles with `speed_unit = "mph"`, else kilometres.
  public var units: UnitSystem { speedUnit == .mph ? .imperial : .metric }

  public static let keys = [
    "device", "latency", "offset", "sound", "volume", "cue_interval", "voice", "speed_unit", "warmup_minutes",
    "screen", "foot_pod", "treadmill", "foot_pod_counts",
  ]

  /// A Bluetooth address as BlueZ and `cadence sensors` write it: six pairs of hex digits
  /// between colons.
  public static func isBluetoothAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    return parts.count == 6 && parts.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isHexDigit) }
  }

  /// `text` (a config file's, already read and valid) with `key` set to the string `value`:
  /// the line that sets it is replaced, or one is added at the end; every other line stays as
  /// it was, byte for byte. Nil `value` removes the key's line.
  public static func setting(_ key: String, to value: String?, in text: String) -> String {
    // By bytes: in a Swift String "\r\n" is one character, and a CRLF file must keep its ends.
    var lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    let crlf = lines.contains { $0.hasSuffix("\r") } ? "\r" : ""
    let line = value.map { "\(key) = \"\($0)\"" }
    let index = lines.firstIndex { raw in
      let stripped = raw.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !stripped.hasPrefix("#"), let eq = stripped.firstIndex(of: "=") else { return false }
      return stripped[..<eq].trimmingCharacters(in: .whitespaces) == key
    }
    if let index {
      if let line { lines[index] = line + (lines[index].hasSuffix("\r") ? "\r" : "") } else { lines.remove(at: index) }
      return lines.joined(separator: "\n")
    }
    guard let line else { return text }
    let body = text.isEmpty || text.utf8.last == 0x0A ? text : text + crlf + "\n"
    return body + line + crlf + "\n"
  }

  public struct ParseError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var message: String
    public var description: String { "\(path), line \(line): \(message)" }
  }

  /// Why the config file could not be used; the command line words it for the runner.
  public enum LoadError: Error, Equatable, Sendable {
    /// The file exists but cannot be read as UTF-8 text.
    case unreadable(path: String)
    /// Larger than `maximumBytes`: not a config file cadence wrote or documents.
    case tooLarge(path: String, bytes: Int)
    case invalid(ParseError)
  }

  /// [product choice] The largest config file read: every key with a comment above it is
  /// under 2 kB, so a file past this is refused unread (a 100 MB one made every command spin).
  public static let maximumBytes = 65_536

  public static func path(environment: [String: String]) -> String {
    if let dir = environment["XDG_CONFIG_HOME"], dir.hasPrefix("/") { return dir + "/cadence/config.toml" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/cadence/config.toml"
  }

  /// The config file, or built-in defaults when there is none.
  public static func load(path: String) throws(LoadError) -> Config {
    guard FileManager.default.fileExists(atPath: path) else { return Config() }
    guard let handle = FileHandle(forReadingAtPath: path) else { throw .unreadable(path: path) }
    defer { try? handle.close() }
    let data: Data
    do {
      data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
    } catch {
      throw .unreadable(path: path)
    }
    if data.count > maximumBytes {
      let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? data.count
      throw .tooLarge(path: path, bytes: size)
    }
    guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path) }
    do {
      return try parse(text, path: path)
    } catch {
      throw .invalid(error)
    }
  }

  public enum Value: Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)

    var typeName: String {
      switch self {
      case .string: "a string"
      case .number: "a number"
      case .bool: "true or false"
      }
    }
  }

  public static func parse(_ text: String, path: String) throws(ParseError) -> Config {
    var config = Config()
    var seen: Set<String> = []
    // Lines end in LF or CRLF (a CRLF is one Character in Swift); a byte-order mark may lead.
    let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    for (index, raw) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
      let line = index + 1
      func fail(_ message: String) -> ParseError { ParseError(path: path, line: line, message: message) }
      let stripped = raw.trimmingCharacters(in: .whitespaces)
      if stripped.isEmpty || stripped.hasPrefix("#") { continue }
      if stripped.hasPrefix("[") { throw fail("cadence's config has no tables; write plain key = value lines") }
      guard let eq = stripped.firstIndex(of: "=") else { throw fail("expected key = value") }
      let key = stripped[..<eq].trimmingCharacters(in: .whitespaces)
      guard keys.contains(key) else {
        throw fail("unknown key '\(key)'")
      }
      guard seen.insert(key).inserted else { throw fail("'\(key)' is set twice") }
      let value = try parseValue(String(stripped[stripped.index(after: eq)...]), fail: fail)
      func number(_ range: ClosedRange<Double>, _ what: String) throws(ParseError) -> Double {
        guard case .number(let n) = value, range.contains(n) else {
          throw fail("\(key) must be \(what); got \(value.typeName == "a number" ? describe(value) : value.typeName)")
        }
        return n
      }
      func string() throws(ParseError) -> String {
        guard case .string(let s) = value, !s.isEmpty else { throw fail("\(key) must be a non-empty string in quotes") }
        return s
      }
      switch key {
      case "device": config.device = try string()
      case "sound": config.sound = try string()
      case "latency": config.latency = try number(2...500, "a number of milliseconds from 2 to 500")
      case "offset": config.offset = try number(0...1000, "a number of milliseconds from 0 to 1000")
      case "volume": config.volume = try number(0...100, "a percentage from 0 to 100")
      case "cue_interval": config.cueInterval = try number(0.25...60, "a number of minutes from 0.25 to 60")
      case "warmup_minutes": config.warmupMinutes = try number(0...30, "a number of minutes from 0 to 30")
      case "voice":
        guard case .bool(let b) = value else { throw fail("voice must be true or false; got \(value.typeName)") }
        config.voice = b
      case "screen":
        guard case .string(let s) = value, screens.contains(s) else {
          throw fail("screen must be \"big\", \"line\" or \"plain\"")
        }
        config.screen = s
      case "foot_pod", "treadmill":
        guard case .string(let s) = value, isBluetoothAddress(s) else {
          throw fail(
            "\(key) must be a Bluetooth address in quotes, like \"C0:FF:EE:00:18:14\" (cadence sensors lists them)")
        }
        if key == "foot_pod" { config.footPod = s } else { config.treadmill = s }
      case "foot_pod_counts":
        guard case .string(let s) = value, s == "steps" || s == "strides" else {
          throw fail("foot_pod_counts must be \"steps\" or \"strides\"")
        }
        config.footPodCounts = s
      case "speed_unit":
        guard case .string(let s) = value, let unit = SpeedUnit(rawValue: s) else {
          throw fail("speed_unit must be \"km/h\" or \"mph\"")
        }
        config.speedUnit = unit
      default: break
      }
    }
    return config
  }

  private static func describe(_ value: Value) -> String {
    if case .number(let n) = value { return format(n, n == n.rounded() ? 0 : 2) }
    return value.typeName
  }

  /// A TOML string ("..." with escapes, or '...'), number, or boolean, then an optional comment.
  private static func parseValue(_ text: String, fail: (String) -> ParseError) throws(ParseError) -> Value {
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    var value: Value
    if rest.hasPrefix("\"") || rest.hasPrefix("'") {
      let quote = rest.removeFirst()
      var out = ""
      var closed = false
      while let c = rest.first {
        rest.removeFirst()
        if c == quote {
          closed = true
          break
        }
        if c == "\\" && quote == "\"" {
          guard let e = rest.first else { break }
          rest.removeFirst()
          switch e {
          case "n": out.append("\n")
          case "t": out.append("\t")
          case "r": out.append("\r")
          case "b": out.append("\u{8}")
          case "f": out.append("\u{C}")
          case "\"": out.append("\"")
          case "\\": out.append("\\")
          case "u", "U":
            let digits = rest.prefix(e == "u" ? 4 : 8)
            guard digits.count == (e == "u" ? 4 : 8), let code = UInt32(digits, radix: 16),
              digits.allSatisfy(\.isHexDigit), let scalar = Unicode.Scalar(code)
            else { throw fail("\\\(e) must be followed by \(e == "u" ? 4 : 8) hex digits of a Unicode character") }
            rest = rest.dropFirst(digits.count)
            out.unicodeScalars.append(scalar)
          default: throw fail("unknown escape \\\(e) in a string")
          }
        } else {
          out.append(c)
        }
      }
      guard closed else { throw fail("a string is not closed") }
      value = .string(out)
    } else {
      let token = rest.prefix { !$0.isWhitespace && $0 != "#" }
      rest = rest.dropFirst(token.count)
      switch token {
      case "true": value = .bool(true)
      case "false": value = .bool(false)
      default:
        guard let n = parseDecimal(token.replacingOccurrences(of: "_", with: "")) else {
          throw fail(token.isEmpty ? "a value is missing" : "'\(token)' is not a string (quote it), number or boolean")
        }
        value = .number(n)
      }
    }
    let trailing = rest.trimmingCharacters(in: .whitespaces)
    guard trailing.isEmpty || trailing.hasPrefix("#") else {
      throw fail("unexpected text after the value: '\(trailing)'")
    }
    return value
  }
}
