/// A small, strict XML scanner for activity files, which are untrusted input.
///
/// Not Foundation's XMLParser: on Linux it crashed (SIGILL in _NSXMLParserStartElementNs) on
/// mutated files during this project's fuzzing. This reads bytes with every index checked,
/// expands no entities beyond the five predefined and numeric ones, ignores DTDs, and reports
/// the line of any error. Element and attribute names keep their namespace prefix.
struct XMLScanner {
  enum Event {
    case start(name: String, attributes: [String: String])
    case end(name: String)
    case text(String)
  }

  struct Failure: Error {
    var line: Int
    var reason: String
  }

  private let bytes: [UInt8]
  private var i = 0
  private var line = 1

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Calls `handle` for each event; checks that every element is closed in order.
  mutating func scan(_ handle: (Event) throws(Failure) -> Void) throws(Failure) {
    var open: [String] = []
    var sawRoot = false
    while i < bytes.count {
      if bytes[i] != UInt8(ascii: "<") {
        let start = i
        while i < bytes.count && bytes[i] != UInt8(ascii: "<") { advance() }
        if !open.isEmpty { try handle(.text(try decode(start, i))) }
        continue
      }
      if starts(with: "<!--") {
        try skip(past: "-->")
      } else if starts(with: "<![CDATA[") {
        i += 9
        let start = i
        try skip(past: "]]>")
        if !open.isEmpty { try handle(.text(String(decoding: bytes[start..<(i - 3)], as: UTF8.self))) }
      } else if starts(with: "<?") || starts(with: "<!") {
        try skip(past: ">")
      } else if starts(with: "</") {
        i += 2
        let name = readName()
        skipSpace()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("a closing tag is not finished") }
        i += 1
        guard let top = open.popLast() else { throw fail("</\(name)> closes nothing") }
        guard top == name else { throw fail("</\(name)> closes <\(top)>") }
        try handle(.end(name: name))
      } else {
        i += 1
        let name = readName()
        guard !name.isEmpty else { throw fail("a tag has no name") }
        if open.isEmpty && sawRoot { throw fail("a second root element <\(name)>") }
        var attributes: [String: String] = [:]
        while true {
          skipSpace()
          guard i < bytes.count else { throw fail("the file ends inside <\(name)>") }
          if bytes[i] == UInt8(ascii: ">") {
            i += 1
            open.append(name)
            sawRoot = true
            try handle(.start(name: name, attributes: attributes))
            break
          }
          if bytes[i] == UInt8(ascii: "/") {
            guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">") else { throw fail("a stray / in <\(name)>") }
            i += 2
            sawRoot = true
            try handle(.start(name: name, attributes: attributes))
            try handle(.end(name: name))
            break
          }
          let key = readName()
          guard !key.isEmpty else { throw fail("a bad attribute in <\(name)>") }
          skipSpace()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(key) has no value") }
          i += 1
          skipSpace()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
            throw fail("attribute \(key) is not quoted")
          }
          let quote = bytes[i]
          i += 1
          let start = i
          while i < bytes.count && bytes[i] != quote { advance() }
          guard i < bytes.count else { throw fail("the file ends inside an attribute") }
          attributes[key] = try decode(start, i)
          i += 1
        }
      }
      if open.count > 64 { throw fail("elements nested more than 64 deep") }
    }
    if let top = open.last { throw fail("truncated XML: it ends inside <\(top)>") }
    if !sawRoot { throw fail("no XML elements") }
  }

  private func fail(_ reason: String) -> Failure { Failure(line: line, reason: reason) }

  private mutating func advance() {
    if bytes[i] == UInt8(ascii: "\n") { line += 1 }
    i += 1
  }

  private func starts(with text: String) -> Bool {
    let t = Array(text.utf8)
    return i + t.count <= bytes.count && bytes[i..<(i + t.count)].elementsEqual(t)
  }

  private mutating func skip(past end: String) throws(Failure) {
    let t = Array(end.utf8)
    while i < bytes.count {
      if starts(with: end) {
        i += t.count
        return
      }
      advance()
    }
    throw fail("the file ends inside a comment or declaration")
  }

  private mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { advance() }
  }

  private mutating func readName() -> String {
    let start = i
    while i < bytes.count {
      let b = bytes[i]
      if [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(
        b)
      {
        break
      }
      i += 1
      if i - start > 256 { break }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }

  /// Text with the predefined and numeric entities decoded.
  private func decode(_ start: Int, _ end: Int) throws(Failure) -> String {
    guard bytes[start..<end].contains(UInt8(ascii: "&")) else {
      return String(decoding: bytes[start..<end], as: UTF8.self)
    }
    var out = ""
    var j = start
    var run = start
    while j < end {
      guard bytes[j] == UInt8(ascii: "&") else {
        j += 1
        continue
      }
      out += String(decoding: bytes[run..<j], as: UTF8.self)
      guard let semicolon = bytes[j..<min(end, j + 12)].firstIndex(of: UInt8(ascii: ";")) else {
        throw fail("a bad & entity")
      }
      let entity = String(decoding: bytes[(j + 1)..<semicolon], as: UTF8.self)
      switch entity {
      case "amp": out += "&"
      case "lt": out += "<"
      case "gt": out += ">"
      case "quot": out += "\""
      case "apos": out += "'"
      default:
        let number: UInt32? =
          entity.hasPrefix("#x")
          ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
        guard let number, let scalar = Unicode.Scalar(number) else { throw fail("an unknown entity &\(entity);") }
        out.unicodeScalars.append(scalar)
      }
      j = semicolon + 1
      run = j
    }
    return out + String(decoding: bytes[run..<end], as: UTF8.self)
  }
}
