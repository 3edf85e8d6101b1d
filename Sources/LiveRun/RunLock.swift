import Glibc

/// One run at a time per user: an exclusive `flock` on a file of the user's own, held while a
/// run plays. The kernel lets go when the process ends, however it ends (kill -9 included),
/// so a lock left behind is never in force: the next run takes it and writes itself in.
public final class RunLock {
  /// Who holds the lock, as the holder wrote it.
  public struct Holder: Equatable, Sendable {
    public var pid: Int32
    /// Seconds since 1970 when its run started.
    public var since: Int64
    /// "play" or "session".
    public var command: String

    public init(pid: Int32, since: Int64, command: String) {
      self.pid = pid
      self.since = since
      self.command = command
    }

    var text: String { "pid \(pid)\nsince \(since)\ncommand \(command)\n" }

    /// Reads what a holder wrote; nil for anything else (an empty file, a holder that died
    /// while writing).
    init?(_ text: String) {
      var fields: [Substring: Substring] = [:]
      for line in text.split(separator: "\n").prefix(8) {
        let parts = line.split(separator: " ", maxSplits: 1)
        if parts.count == 2 { fields[parts[0]] = parts[1] }
      }
      guard let pid = fields["pid"].flatMap({ Int32($0) }), pid > 0, let since = fields["since"].flatMap({ Int64($0) }),
        let command = fields["command"], command.count <= 64, command.allSatisfy({ $0.isLetter })
      else { return nil }
      self.init(pid: pid, since: since, command: String(command))
    }
  }

  public enum Failure: Error, Equatable, Sendable {
    /// Another run holds it (nil: it did not say who).
    case held(by: Holder?)
    /// The folder or file could not be made or opened.
    case cannotOpen(path: String, reason: String)
  }

  private let descriptor: Int32
  public let path: String

  /// Takes the lock at `path` (its folder made, mode 0700) and writes `holder` into it.
  public init(path: String, holder: Holder) throws(Failure) {
    self.path = path
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    if !folder.isEmpty { Self.makeFolders(folder) }
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let held = errno == EWOULDBLOCK
      let reason = String(cString: strerror(errno))
      let who = Self.read(fd)
      close(fd)
      if held { throw .held(by: who) }
      throw .cannotOpen(path: path, reason: reason)
    }
    descriptor = fd
    let bytes = Array(holder.text.utf8)
    _ = ftruncate(fd, 0)
    _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
  }

  deinit { close(descriptor) }

  /// What the holder wrote: at most 4 KiB are read.
  private static func read(_ fd: Int32) -> Holder? {
    var buffer = [UInt8](repeating: 0, count: 4_096)
    let n = pread(fd, &buffer, buffer.count, 0)
    guard n > 0 else { return nil }
    return Holder(String(decoding: buffer[0..<n], as: UTF8.self))
  }

  private static func makeFolders(_ folder: String) {
    var path = folder.hasPrefix("/") ? "" : "."
    for part in folder.split(separator: "/") {
      path += "/" + part
      mkdir(path, 0o700)
    }
  }

}
