import ALSA
import AudioFile
import CadenceCore
import Coach
import Foundation
import Glibc
import History
import LiveRun
import Settings
import Sounds

/// A failure the runner has to act on: what went wrong, what to try, and the exit code
/// (sysexits.h values, so scripts can tell a typo from a missing device). Only the command
/// line makes these: every library module throws its own typed errors, and this file alone
/// turns them into words.
struct UserError: Error, CustomStringConvertible {
  enum Code: Int32, Sendable {
    case usage = 64  // EX_USAGE
    case dataError = 65  // EX_DATAERR
    case noInput = 66  // EX_NOINPUT
    case unavailable = 69  // EX_UNAVAILABLE
    case software = 70  // EX_SOFTWARE
    case temporaryFailure = 75  // EX_TEMPFAIL
    case cannotCreate = 73  // EX_CANTCREAT
    case ioError = 74  // EX_IOERR
    case noPermission = 77  // EX_NOPERM
  }

  var message: String
  var hint: String?
  var code: Code

  init(message: String, hint: String?, code: Code) {
    self.message = message
    self.hint = hint
    self.code = code
  }

  var description: String { message }

  /// How every cadence error is printed: "cadence: error: ..." and, when there is one,
  /// "  try: ...".
  var printed: String { "cadence: error: \(message)\n" + (hint.map { "  try: \($0)\n" } ?? "") }

  /// One JSON object on one line, for `--json`: a script reading standard output always gets
  /// JSON, `{"code":65,"error":"...","hint":"..."}` (hint null where there is none).
  var json: String {
    struct Object: Encodable {
      var error: String
      var hint: String?
      var code: Int32
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(error, forKey: .error)
        try container.encode(hint, forKey: .hint)
        try container.encode(code, forKey: .code)
      }
      enum CodingKeys: String, CodingKey { case error, hint, code }
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(Object(error: message, hint: hint, code: code.rawValue))) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// The runner's words for an error a library module threw; nil for one that is not the
  /// runner's to act on (ArgumentParser words its own).
  init?(wording error: any Error) {
    switch error {
    case let error as UserError: self = error
    case let error as HistoryError: self = .history(error)
    case let error as CoachError: self = .coach(error)
    case let error as PlanError: self = .plan(error)
    case let error as Config.LoadError: self = .config(error)
    case let error as SoundLibrary.LoadError: self = .sound(error)
    case let error as AudioFileError: self = .sound(error)
    case let error as OutputError: self = .output(error)
    case let error as Voice.Unavailable: self = .voice(error)
    default: return nil
    }
  }

  /// What the runner can do about a history that cannot be read or written.
  static func history(_ error: HistoryError) -> UserError {
    switch error {
    case .notADatabase:
      UserError(
        message: error.description, hint: "move the file aside (nothing was changed), or pass --db with another path",
        code: .dataError)
    case .damaged(let path, _):
      UserError(
        message: error.description,
        hint: "recover what it holds into a new file with sqlite3 '\(path)' .recover | sqlite3 recovered.sqlite and "
          + "use --db recovered.sqlite, or start a fresh history with --db and a new path; keep the old file either way",
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
    case .busy(let path, _, let holder):
      UserError(
        message: error.description,
        hint: "let \(holder.map { "\($0)" } ?? "the other program") finish (or close it) and try again; "
          + "`fuser -v '\(AppDatabase.folder(of: path))' '\(path)'` shows what holds it",
        code: .temporaryFailure)
    case .inconsistent(let path, _):
      UserError(
        message: error.description,
        hint: "keep this file as it is and start a fresh history with --db and a new path, or restore a backup; "
          + "sqlite3 '\(path)' .schema shows its tables",
        code: .dataError)
    case .unknownFormat:
      UserError(
        message: error.description, hint: "move the file aside (nothing was changed), or pass --db with another path",
        code: .dataError)
    case .diskFull(let path):
      UserError(
        message: error.description,
        hint:
          "free some space on that disk (df -h '\(AppDatabase.folder(of: path))' shows it) and run the command again",
        code: .ioError)
    case .unreadable(let path):
      UserError(
        message: error.description, hint: "make it readable (chmod u+rw '\(path)'), or pass --db with another path",
        code: .noPermission)
    case .badLink:
      UserError(
        message: error.description,
        hint: "point the link at a file in an existing folder (ln -sfn), remove it, or pass --db with another path",
        code: .cannotCreate)
    case .cannotOpen, .failed:
      UserError(
        message: error.description, hint: "check the folder is writable and has space, or pass --db with another path",
        code: .ioError)
    }
  }

  static func coach(_ error: CoachError) -> UserError {
    switch error {
    case .history(let error): .history(error)
    case .storedPlanInvalid(let error):
      UserError(
        message: "the stored plan is not valid: \(error)", hint: "make a new one with cadence plan --current SPM",
        code: .dataError)
    case .settings(let error): .plan(error)
    case .noPlan:
      UserError(
        message: "there is no cadence plan to change", hint: "make one with: cadence plan --current SPM", code: .usage)
    case .noSuchRun(let id):
      UserError(
        message: "there is no run \(id) in the history", hint: "cadence history lists the runs with their ids",
        code: .usage)
    case .noSuchMeasurement(let id):
      UserError(
        message: "there is no measurement \(id) in the history",
        hint: "cadence history --measurements lists them with their ids", code: .usage)
    }
  }

  static func plan(_ error: PlanError) -> UserError {
    let message: String
    switch error {
    case .startOutOfRange(let s): message = "a current cadence of \(Cadence.format(s)) spm is outside 100-240"
    case .goalAboveBand(let g): message = "a goal of \(Cadence.format(g)) spm is above 190, the top of the band"
    case .goalNotAboveStart(let s, let g):
      message = "the goal (\(Cadence.format(g)) spm) is below your current cadence (\(Cadence.format(s)) spm)"
    case .stepOutOfRange(let s): message = "a step of \(format(s, 1)) spm is outside 1-5"
    case .holdTooShort(let d, let r): message = "a hold of \(d) days / \(r) runs is shorter than 7 days / 3 runs"
    case .holdTooLong(let d, let r): message = "a hold of \(d) days / \(r) runs is longer than 365 days / 100 runs"
    case .painOutOfRange(let p): message = "a baseline pain of \(p) is outside 0-10"
    }
    return UserError(message: message, hint: "see cadence plan --help", code: .usage)
  }

  static func config(_ error: Config.LoadError) -> UserError {
    switch error {
    case .unreadable(let path):
      UserError(
        message: "cannot read the config file '\(path)'", hint: "check it is readable UTF-8 text", code: .dataError)
    case .tooLarge(let path, let bytes):
      UserError(
        message: "the config file '\(path)' is \(bytes) bytes; cadence reads at most \(Config.maximumBytes)",
        hint: "a config is a few key = value lines (keys: \(Config.keys.joined(separator: ", "))); move that file "
          + "away and write a new one", code: .dataError)
    case .invalid(let error):
      UserError(
        message: "bad config: \(error)", hint: "fix or remove that line; keys: \(Config.keys.joined(separator: ", "))",
        code: .dataError)
    }
  }

  static func sound(_ error: SoundLibrary.LoadError) -> UserError {
    switch error {
    case .unknownName(let name):
      UserError(
        message: "unknown sound '\(name)'",
        hint: "use one of \(SoundLibrary.builtInNames.joined(separator: ", ")), or a path to a WAV, FLAC or OGG file",
        code: .usage)
    case .file(let error): .sound(error)
    }
  }

  /// What the runner can do about a sound file that cannot be read or written.
  static func sound(_ error: AudioFileError) -> UserError {
    switch error {
    case .cannotOpen(_, let reason) where reason == "no such file":
      UserError(
        message: error.description,
        hint:
          "give --sound a path to a WAV, FLAC or OGG file, or a built-in name (\(SoundLibrary.builtInNames.joined(separator: ", ")))",
        code: .noInput)
    case .cannotOpen, .empty:
      UserError(
        message: error.description, hint: "check that the file is a WAV, FLAC or OGG file that a player can open",
        code: .dataError)
    case .unsupportedExtension:
      UserError(message: error.description, hint: "name the file .wav, .flac, .ogg or .mp3", code: .usage)
    case .cannotCreate, .writeFailed:
      UserError(
        message: error.description, hint: "check the folder exists, is writable and has space", code: .cannotCreate)
    }
  }

  /// A file the runner named for output that cannot be written.
  static func output(_ error: OutputError) -> UserError {
    switch error {
    case .folder, .notARegularFile:
      UserError(message: error.description, hint: "name a new file, or a regular file to replace", code: .cannotCreate)
    case .cannotCreate:
      UserError(
        message: error.description, hint: "check the folder exists, is writable and has space", code: .cannotCreate)
    case .badLink(let path, _):
      UserError(
        message: error.description,
        hint: "fix or remove the link (ls -l '\(path)' shows where it points), or name another file",
        code: .cannotCreate)
    }
  }

  static func voice(_ error: Voice.Unavailable) -> UserError {
    UserError(
      message: "--voice needs espeak-ng, which could not be loaded: \(error.reason)",
      hint: "install it (sudo apt-get install espeak-ng), or run without --voice", code: .unavailable)
  }

  /// A playback device that could not be opened, configured or started.
  /// Where a device's name came from: `--device`, the config file, or cadence's own default.
  enum DeviceSource: Equatable {
    case option
    case config(path: String)
    case builtIn
  }

  static func device(_ name: String, _ failure: DeviceFailure, from source: DeviceSource = .option) -> UserError {
    .device(name, failure.error, doing: failure.stage.rawValue, from: source)
  }

  static func device(_ name: String, _ error: ALSAError, doing what: String, from source: DeviceSource = .option)
    -> UserError
  {
    let hint: String
    let named: String
    switch source {
    case .option: named = "'\(name)'"
    case .config(let path): named = "'\(name)' (device = \"\(name)\" in \(path))"
    case .builtIn: named = "'\(name)' (the default, as no device was named)"
    }
    switch error.code {
    case ALSAError.busy:
      hint =
        "another program is using it; close that program, or pick another PCM with --device (see `cadence devices`)"
    case _ where error.function.hasPrefix("snd_pcm_open"):
      // Opening fails (EINVAL, ENOENT, ENODEV, ENXIO) when no such PCM or card exists.
      let advice: String
      switch source {
      case .option: advice = "pick one of the PCMs `cadence devices` lists, or leave --device out for the default"
      case .config: advice = "set device in that file to one of the PCMs `cadence devices` lists, or remove the line"
      case .builtIn:
        advice =
          "this machine has no sound output cadence can reach: connect headphones or a sound card, or start "
          + "PipeWire or PulseAudio; `cadence devices` lists what there is, and `cadence render` writes the clicks to a file"
      }
      return UserError(
        message: "cannot open ALSA device \(named): there is no such device here (\(error.reason), \(error.function))",
        hint: advice, code: .unavailable)
    case -EINVAL:
      hint =
        "the device refused every format cadence offers (FLOAT/S32/S16, 44.1 or 48 kHz, mono or stereo); try --device plug:\(name) or another PCM from `cadence devices`"
    default:
      hint =
        "pick a PCM with --device NAME (list them with `cadence devices`), or write the click track to a file with `cadence render`"
    }
    return UserError(
      message: "cannot \(what) ALSA device \(named): \(error.reason) (\(error.function))", hint: hint,
      code: .unavailable)
  }

  /// Another run holds the one-run lock.
  static func runLock(_ holder: RunLock.Holder?, now: Date) -> UserError {
    guard let holder else {
      return UserError(
        message: "another cadence run is playing", hint: "stop it first, or add --force to play anyway",
        code: .temporaryFailure)
    }
    let since = Date(timeIntervalSince1970: TimeInterval(holder.since))
    let minutes = Int(max(0, now.timeIntervalSince(since)) / 60)
    return UserError(
      message: "another cadence run is playing: cadence \(holder.command), pid \(holder.pid), since \(isoString(since))"
        + " (\(minutes) min ago)",
      hint: "stop it first (q in its terminal, or kill \(holder.pid)), or add --force to play anyway",
      code: .temporaryFailure)
  }

  static func lostDevice(_ device: String, _ error: ALSAError) -> UserError {
    UserError(
      message: "playback on '\(device)' stopped: \(error)",
      hint: "check the device is still connected, or pick another with --device",
      code: .ioError)
  }
}
