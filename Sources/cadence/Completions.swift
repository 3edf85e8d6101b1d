import ALSA
import ArgumentParser
import Foundation
import Sounds

/// What the shell completes for values (bash, zsh and fish, from --generate-completion-script):
/// sound names and sound files, the ALSA outputs, and files by kind.
enum Completions {
  /// The built-in sounds, then folders and WAV/FLAC/OGG files under what was typed.
  static let sound = CompletionKind.custom { _, _, prefix in
    SoundLibrary.builtInNames.filter { $0.hasPrefix(prefix) }
      + files(matching: prefix, extensions: ["wav", "flac", "ogg"])
  }

  /// The ALSA PCMs `cadence devices` lists.
  static let device = CompletionKind.custom { _, _, prefix in
    ((try? pcmDeviceHints()) ?? []).filter(\.isOutput).map(\.name).filter { $0.hasPrefix(prefix) }
  }

  /// `none`, and the sensors the last `cadence sensors` scan found.
  static let sensor = CompletionKind.custom { _, _, prefix in
    (["none"] + SensorCache.addresses(environment: ProcessInfo.processInfo.environment)).filter {
      $0.uppercased().hasPrefix(prefix.uppercased())
    }
  }

  /// The sensors the last scan found.
  static let sensorAddress = CompletionKind.custom { _, _, prefix in
    SensorCache.addresses(environment: ProcessInfo.processInfo.environment).filter {
      $0.uppercased().hasPrefix(prefix.uppercased())
    }
  }

  static let activityFiles = CompletionKind.file(extensions: ["tcx", "gpx", "fit"])
  static let history = CompletionKind.file(extensions: ["sqlite"])
  static let svg = CompletionKind.file(extensions: ["svg"])

  /// At most this many entries of one folder are offered: a completion never reads a huge
  /// folder to the end.
  static let maxEntries = 2_000

  /// Folders (with a trailing slash) and files with one of `extensions` in the folder `prefix`
  /// names, whose names start with the rest of `prefix`; hidden ones only when asked for.
  static func files(matching prefix: String, extensions: Set<String>) -> [String] {
    let slash = prefix.lastIndex(of: "/")
    let folder = slash.map { String(prefix[...$0]) } ?? ""
    let partial = slash.map { String(prefix[prefix.index(after: $0)...]) } ?? prefix
    let expanded = folder.hasPrefix("~/") ? NSHomeDirectory() + folder.dropFirst() : folder
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: expanded.isEmpty ? "." : expanded)
    else { return [] }
    var found: [String] = []
    for name in entries.prefix(maxEntries) where name.hasPrefix(partial) {
      if name.hasPrefix(".") && !partial.hasPrefix(".") { continue }
      var isFolder: ObjCBool = false
      FileManager.default.fileExists(atPath: (expanded.isEmpty ? "" : expanded) + name, isDirectory: &isFolder)
      if isFolder.boolValue {
        found.append(folder + name + "/")
      } else if extensions.contains((name as NSString).pathExtension.lowercased()) {
        found.append(folder + name)
      }
    }
    return found.sorted()
  }
}
