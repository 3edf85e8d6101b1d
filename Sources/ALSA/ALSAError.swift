import CALSA

/// A failed libasound call: the negative errno it returned and the C function's name.
public struct ALSAError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Negative errno, as libasound returns it (`-EPIPE` for an underrun, say).
  public let code: Int32
  /// The libasound function that returned it.
  public let function: String

  public init(code: Int32, function: String) {
    self.code = code
    self.function = function
  }

  /// libasound's text for the code (snd_strerror).
  public var reason: String { String(cString: snd_strerror(code)) }
  public var description: String { "\(reason) (\(function))" }

  public static let underrun = -EPIPE
  public static let suspended = -ESTRPIPE
  public static let busy = -EBUSY
  public static let again = -EAGAIN
}

/// Every libasound return code passes through here: negative is an error, anything else is
/// the result.
@inline(__always)
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ function: String) throws(ALSAError) -> T {
  if result < 0 { throw ALSAError(code: Int32(truncatingIfNeeded: result), function: function) }
  return result
}
