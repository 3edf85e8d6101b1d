import History

/// A failure the runner has to act on: what went wrong, what to try, and the exit code
/// (sysexits.h values, so scripts can tell a typo from a missing device).
public struct UserError: Error, CustomStringConvertible {
  public enum Code: Int32, Sendable {
    case usage = 64  // EX_USAGE
    case dataError = 65  // EX_DATAERR
    case noInput = 66  // EX_NOINPUT
    case unavailable = 69  // EX_UNAVAILABLE
    case cannotCreate = 73  // EX_CANTCREAT
    case ioError = 74  // EX_IOERR
    case noPermission = 77  // EX_NOPERM
  }

  public var message: String
  public var hint: String?
  public var code: Code

  public init(message: String, hint: String?, code: Code) {
    self.message = message
    self.hint = hint
    self.code = code
  }

  public var description: String { message }

  /// What the runner can do about a history that cannot be read or written.
  public static func history(_ error: HistoryError) -> UserError {
    switch error {
    case .notADatabase:
      UserError(
        message: error.description, hint: "move the file aside (nothing was changed), or pass --db with another path",
        code: .dataError)
    case .newerSchema:
      UserError(
        message: error.description, hint: "use the newer cadence, or pass --db with another path", code: .dataError)
    case .foreign:
      UserError(
        message: error.description, hint: "pass --db with the path of your cadence history, or a new file",
        code: .dataError)
    case .readOnly:
      UserError(
        message: error.description, hint: "make the file and its folder writable, or pass --db with another path",
        code: .noPermission)
    case .readOnlyNeedsUpdate:
      UserError(
        message: error.description, hint: "make the file and its folder writable once (any cadence command updates it)",
        code: .noPermission)
    case .cannotOpen, .failed:
      UserError(
        message: error.description, hint: "check the folder is writable and has space, or pass --db with another path",
        code: .ioError)
    }
  }
}

/// Runs a history call, turning its error into the runner's.
public func history<T>(_ body: @autoclosure () throws(HistoryError) -> T) throws(UserError) -> T {
  do {
    return try body()
  } catch {
    throw UserError.history(error)
  }
}
