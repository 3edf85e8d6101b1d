/// A plain decimal number, the one way cadence reads a number a person typed: an optional
/// sign, digits with an optional fraction, an optional exponent ("170", "-1.5", "2e3", ".5",
/// "5."). Not what `Double(String)` also takes: hex ("0xAA", "0x1p3"), "nan", "inf",
/// "infinity". Nil for those, for anything else, and for a value that overflows to infinity.
public func parseDecimal<S: StringProtocol>(_ text: S) -> Double? {
  var bytes = Array(text.utf8)[...]
  if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
  func digits() -> Int {
    let count = bytes.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }.count
    bytes = bytes.dropFirst(count)
    return count
  }
  var mantissa = digits()
  if bytes.first == UInt8(ascii: ".") {
    bytes = bytes.dropFirst()
    mantissa += digits()
  }
  guard mantissa > 0 else { return nil }
  if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
    bytes = bytes.dropFirst()
    if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
    guard digits() > 0 else { return nil }
  }
  guard bytes.isEmpty, let value = Double(String(text)), value.isFinite else { return nil }
  return value
}
