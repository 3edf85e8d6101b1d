import AudioFile
import ClickEngine
import Glibc

/// Finds and loads click sounds: the built-in WAVs in Sounds/, or the runner's own file.
public enum SoundLibrary {
  public static let builtInNames = ["woodblock", "beep", "hihat"]
  public static let defaultName = "woodblock"
  /// Set to a folder to use only that folder for the built-in sounds.
  public static let environmentKey = "CADENCE_SOUNDS_DIR"

  /// A runner's own file plays as is for the accent and at this level for the other clicks.
  public static let userSoundNormalLevel: Float = 0.7

  /// Folders searched for the built-in WAVs, in order.
  public static func searchPath(
    environment: [String: String], executableDirectory exe: String?
  ) -> [String] {
    if let forced = environment[environmentKey] { return [forced] }
    var dirs: [String] = []
    if let exe {
      // Installed: PREFIX/bin/cadence next to PREFIX/share/cadence/sounds.
      dirs.append(exe + "/../share/cadence/sounds")
      // `swift run` or the build folder: .build/<triple>/<config>/cadence in a checkout. Up to
      // five folders up, and never past the root.
      var dir = exe
      for _ in 0..<5 where dir != "/" {
        dir = parent(of: dir)
        dirs.append(dir == "/" ? "/Sounds" : dir + "/Sounds")
      }
    }
    let dataHome =
      environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? (environment["HOME"].map { $0 + "/.local/share" })
    if let dataHome { dirs.append(dataHome + "/cadence/sounds") }
    let dataDirs = environment["XDG_DATA_DIRS"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/share:/usr/share"
    dirs += dataDirs.split(separator: ":").map { "\($0)/cadence/sounds" }
    var seen = Set<String>()
    return dirs.filter { seen.insert($0).inserted }
  }

  /// Why a click sound could not be loaded; the command line words it for the runner.
  public enum LoadError: Error, Sendable {
    /// Neither a built-in name nor a path (no "/" or ".").
    case unknownName(String)
    /// The file could not be read, or holds only silence.
    case file(AudioFileError)
  }

  /// Loads `nameOrPath` at `sampleRate`. For a built-in name whose WAVs cannot be found,
  /// falls back to the synthesized click and says so through `warn`.
  public static func load(
    _ nameOrPath: String, sampleRate: Double, searchPath dirs: [String], warn: (String) -> Void
  ) throws(LoadError) -> ClickSound {
    if builtInNames.contains(nameOrPath) {
      guard let dir = dirs.first(where: { access("\($0)/\(nameOrPath).wav", R_OK) == 0 }) else {
        warn(
          "cadence: the built-in sounds were not found (looked in \(dirs.joined(separator: ", "))); using a synthesized click. Set \(environmentKey) to the Sounds folder to use them."
        )
        return ClickSynth.sound(sampleRate: sampleRate)
      }
      let normal = try decode("\(dir)/\(nameOrPath).wav", sampleRate: sampleRate)
      let accent = try decode("\(dir)/\(nameOrPath)-accent.wav", sampleRate: sampleRate)
      return ClickSound(
        name: nameOrPath, normal: Sample(normal, sampleRate: sampleRate), accent: Sample(accent, sampleRate: sampleRate)
      )
    }
    guard nameOrPath.contains("/") || nameOrPath.contains(".") else {
      throw .unknownName(nameOrPath)
    }
    let samples = try decode(nameOrPath, sampleRate: sampleRate)
    guard samples.contains(where: { $0 != 0 }) else {
      throw .file(.empty(path: nameOrPath))
    }
    return ClickSound(
      name: nameOrPath,
      normal: Sample(samples.map { $0 * userSoundNormalLevel }, sampleRate: sampleRate),
      accent: Sample(samples, sampleRate: sampleRate))
  }

  private static func decode(_ path: String, sampleRate: Double) throws(LoadError) -> [Float] {
    do {
      // [product choice] A click sound of more than 10 s is not a click: that bound also caps
      // what decoding and resampling a file may cost.
      return try readMonoAudio(path: path, maxSeconds: 10, sampleRate: sampleRate).samples
    } catch {
      throw .file(error)
    }
  }

  public static func executableDirectory() -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    guard n > 0 else { return nil }
    return parent(of: String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self))
  }

  public static func parent(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
    return String(path[..<slash])
  }
}
