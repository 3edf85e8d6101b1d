import AudioFile
import Foundation
import Settings

/// The config file as `cadence sensors use` and `forget` change it: read only once it is valid
/// (a file with an error is never written over), written whole beside itself and renamed into
/// place, so that a failed write leaves it as it was; a link to it stays a link.
enum ConfigFile {
  /// The file's text ("" where there is none), once `Config.load` has found it valid.
  static func text(_ context: CommandContext) throws -> String {
    _ = try context.config()
    let path = context.configPath
    guard FileManager.default.fileExists(atPath: path) else { return "" }
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw UserError.config(.unreadable(path: path))
    }
    return text
  }

  /// Writes `text` as the config file (its folder made where missing), and checks it reads back
  /// as a valid config.
  static func write(_ text: String, _ context: CommandContext) throws {
    let path = context.configPath
    let folder = (path as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw UserError(
        message: "cannot make the folder '\(folder)' for the config file: \(error.localizedDescription)",
        hint: "check the folder's permissions", code: .cannotCreate)
    }
    do {
      let target = try OutputTarget(path)
      try target.write(text)
    } catch {
      throw UserError.output(error)
    }
    _ = try context.config()
  }
}
