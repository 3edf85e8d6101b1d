import Glibc

/// Why a file the runner named cannot be written.
public enum OutputError: Error, Equatable, Sendable, CustomStringConvertible {
  case folder(path: String)
  case notARegularFile(path: String)
  case cannotCreate(path: String, reason: String)
  /// A symbolic link at `path` that loops, or leads to `target` in a folder that does not exist.
  case badLink(path: String, target: String?)

  public var description: String {
    switch self {
    case .folder(let path): "'\(path)' is a folder; name a file in it"
    case .notARegularFile(let path):
      "'\(path)' is not a regular file (a FIFO, socket or block device); nothing was written to it"
    case .cannotCreate(let path, let reason): "cannot create '\(path)': \(reason)"
    case .badLink(let path, let target?):
      "cannot write '\(path)': it is a symbolic link to '\(target)', whose folder does not exist; the link was left as it is"
    case .badLink(let path, nil):
      "cannot write '\(path)': it is a symbolic link that loops; the link was left as it is"
    }
  }
}

/// A file a command writes where the runner said (`render -o`, `history --svg`). A regular
/// file is written beside the target under a temporary name and renamed over it only once
/// complete, so a failed write leaves an existing file as it was and never a half-written
/// one. A character device named on purpose (`/dev/null`, a terminal) is written through and
/// never replaced; FIFOs, sockets, block devices and folders are refused. A symbolic link to
/// a file replaces the file it points to, and stays a link; a replaced file keeps its mode.
public struct OutputTarget: Sendable {
  public let path: String
  /// What `commit()` renames over: `path`, or the file a symbolic link at `path` points to.
  private let target: String
  /// Where to write: the temporary file, or the device itself.
  public let writePath: String
  /// A regular file was there and is replaced on `commit()`.
  public let replacesFile: Bool
  public let isDevice: Bool

  public init(_ path: String) throws(OutputError) {
    self.path = path
    var status = stat()
    // The usual mode of a new file: 0666 less the umask (read by setting it back at once; the
    // commands that write outputs have no other thread making files).
    let mask = umask(0)
    umask(mask)
    var mode = 0o666 & ~mask
    var target = path
    if stat(path, &status) == 0 {
      switch status.st_mode & S_IFMT {
      case S_IFREG: break
      case S_IFCHR:
        self.target = path
        writePath = path
        replacesFile = false
        isDevice = true
        return
      case S_IFDIR: throw .folder(path: path)
      default: throw .notARegularFile(path: path)
      }
      replacesFile = true
      mode = status.st_mode & 0o7777
      if let real = realpath(path, nil) {
        target = String(cString: real)
        free(real)
      }
    } else {
      replacesFile = false
      // A symbolic link whose target does not exist (yet) is written through to that target,
      // where its folder exists, and stays a link; one that loops is refused.
      target = try Self.danglingLinkTarget(path) ?? path
    }
    self.target = target
    isDevice = false
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[...$0]) } ?? ""
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array("\(folder).\(name).cadence-XXXXXX".utf8CString)
    // The template is a non-empty array: its buffer always has a base address.
    // swift-format-ignore: NeverForceUnwrap
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
    }
    // mkstemp makes the file 0600: a new output gets the usual 0666 less umask, a replaced
    // file keeps its mode.
    fchmod(fd, mode)
    close(fd)
    // The template is a non-empty array: its buffer always has a base address.
    // swift-format-ignore: NeverForceUnwrap
    writePath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
  }

  /// Where a dangling symbolic link at `path` leads (the chain followed, each relative link
  /// from its own folder), or nil when `path` is no symbolic link.
  static func danglingLinkTarget(_ path: String) throws(OutputError) -> String? {
    var status = stat()
    guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
    var current = path
    for _ in 0..<40 {
      guard lstat(current, &status) == 0 else { break }
      guard status.st_mode & S_IFMT == S_IFLNK else {
        throw .cannotCreate(path: path, reason: "its symbolic link leads to '\(current)', which cannot be written")
      }
      var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
      let n = readlink(current, &buffer, buffer.count - 1)
      guard n > 0 else { throw .cannotCreate(path: path, reason: String(cString: strerror(errno))) }
      let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if link.hasPrefix("/") {
        current = link
      } else {
        let slash = current.lastIndex(of: "/")
        current = (slash.map { String(current[...$0]) } ?? "") + link
      }
      if lstat(current, &status) != 0 {
        // The end of the chain: a name that does not exist. Its folder must.
        let slash = current.lastIndex(of: "/")
        let folder = slash.map { String(current[..<$0]) } ?? "."
        var folderStatus = stat()
        guard stat(folder.isEmpty ? "/" : folder, &folderStatus) == 0, folderStatus.st_mode & S_IFMT == S_IFDIR else {
          throw .badLink(path: path, target: current)
        }
        return current
      }
    }
    throw .badLink(path: path, target: nil)
  }

  /// Puts the finished file in place (a device needs nothing).
  public func commit() throws(OutputError) {
    guard !isDevice else { return }
    if rename(writePath, target) != 0 {
      let reason = String(cString: strerror(errno))
      unlink(writePath)
      throw .cannotCreate(path: path, reason: reason)
    }
  }

  /// Removes the temporary file after a failed write; the target is as it was.
  public func abandon() {
    if !isDevice { unlink(writePath) }
  }

  /// Writes `text` whole and puts it in place.
  public func write(_ text: String) throws(OutputError) {
    let fd = open(writePath, O_WRONLY | O_TRUNC | O_CLOEXEC)
    guard fd >= 0 else {
      let reason = String(cString: strerror(errno))
      abandon()
      throw .cannotCreate(path: path, reason: reason)
    }
    var failure: String? = nil
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        failure = String(cString: strerror(n < 0 ? errno : ENOSPC))
        break
      }
      bytes = bytes.dropFirst(n)
    }
    if close(fd) != 0 && failure == nil && !isDevice { failure = String(cString: strerror(errno)) }
    if let failure {
      abandon()
      throw .cannotCreate(path: path, reason: failure)
    }
    try commit()
  }
}
