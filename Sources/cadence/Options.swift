import ArgumentParser
import CadenceCore
import ClickEngine
import Coach
import Foundation
import LiveRun
import Settings
import Sounds

/// The click itself: shared by `play`, `render` and `session`.
struct ClickOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Click sound: \(SoundLibrary.builtInNames.joined(separator: ", ")), or a path to a WAV, FLAC or OGG file "
        + "of at most 10 s (a product choice: longer is not a click) "
        + "(default: the config's sound, else woodblock).",
      valueName: "name|path"), completion: Completions.sound)
  var sound: String?

  @Option(
    help: ArgumentHelp(
      "Click volume in percent, 0 to 100 (default: the config's volume, else 80).", valueName: "percent"),
    transform: decimal)
  var volume: Double?

  @Option(help: ArgumentHelp("Accent every n-th click with a brighter sound; 0 for none.", valueName: "n"))
  var accent = 0

  @Option(
    help: ArgumentHelp(
      "Click on every step (1), every 2nd step, one foot (2), or every 4th step (4).", valueName: "1|2|4"))
  var every = 1

  func validate() throws {
    if let volume, !(volume.isFinite && (0...100).contains(volume)) {
      throw ValidationError("--volume must be a percentage from 0 to 100; got \(volume)")
    }
    guard (0...64).contains(accent) else {
      throw ValidationError("--accent must be a whole number of clicks from 0 (no accent) to 64; got \(accent)")
    }
    guard [1, 2, 4].contains(every) else {
      throw ValidationError("--every must be 1 (every step), 2 (one foot) or 4; got \(every)")
    }
  }

  func soundName(_ config: Config) -> String { sound ?? config.sound ?? SoundLibrary.defaultName }

  /// The click sound: `--sound`, the config's, or the built-in default. One the config names
  /// that cannot be loaded is blamed on the config's file and key, not on `--sound`.
  func clickSound(_ config: Config, sampleRate: Double, in context: CommandContext) throws(UserError) -> ClickSound {
    do {
      return try context.sound(soundName(config), sampleRate: sampleRate)
    } catch {
      guard sound == nil, let configured = config.sound else { throw error }
      let path = Config.path(environment: context.environment)
      throw UserError(
        message: error.message + " (sound = \"\(configured)\" in \(path))",
        hint: "set sound in that file to a built-in name (\(SoundLibrary.builtInNames.joined(separator: ", "))) or "
          + "a path to a WAV, FLAC or OGG file, or remove the line", code: error.code)
    }
  }
  func gain(_ config: Config) -> Float { Float((volume ?? config.volume ?? 80) / 100) }
}

/// A tempo ramp from the start: `play` and `render`.
struct RampOptions: ParsableArguments {
  @Option(
    name: .customLong("ramp-to"),
    help: ArgumentHelp("Ramp linearly from <cadence> to this cadence, reached after --ramp-minutes.", valueName: "spm"),
    transform: cadenceValue)
  var rampTo: Cadence?

  @Option(
    name: .customLong("ramp-minutes"),
    help: ArgumentHelp("Length of the ramp from the start, in minutes (default 5).", valueName: "minutes"),
    transform: decimal)
  var rampMinutes: Double?

  func validate() throws {
    if let rampMinutes {
      guard rampTo != nil else { throw ValidationError("--ramp-minutes needs --ramp-to SPM") }
      guard rampMinutes.isFinite, rampMinutes > 0, rampMinutes <= 600 else {
        throw ValidationError("--ramp-minutes must be more than 0 and at most 600; got \(rampMinutes)")
      }
    }
  }

  /// The ramp target, if any, and its length.
  func rampCadence() -> (cadence: Cadence, minutes: Double)? {
    rampTo.map { ($0, rampMinutes ?? 5) }
  }
}

/// The one reader of a cadence typed on the command line (every cadence argument and option
/// uses it as its transform): a plain decimal, 100 to 240 steps per minute. ArgumentParser
/// names the option in the error.
func cadenceValue(_ text: String) throws -> Cadence {
  do {
    return try Cadence(parsing: text)
  } catch {
    let range = "\(Int(Cadence.playable.lowerBound)) to \(Int(Cadence.playable.upperBound))"
    switch error {
    case .notANumber:
      throw ValidationError("a cadence is a number of steps per minute from \(range), like 170 or 173.5")
    case .outOfRange(let spm):
      throw ValidationError("a cadence must be from \(range) steps per minute; got \(Cadence.format(spm))")
    }
  }
}

/// Validates a positive number of minutes.
func validateMinutes(_ minutes: Double?, option: String = "--minutes", max: Double = 600) throws {
  guard let minutes else { return }
  guard minutes.isFinite, minutes > 0, minutes <= max else {
    throw ValidationError("\(option) must be more than 0 and at most \(Int(max)); got \(minutes)")
  }
}

/// Validates a treadmill speed option (`--speed`).
func validateSpeed(_ text: String?) throws {
  if let text, Speed(parsing: text) == nil {
    throw ValidationError("--speed must be a treadmill speed from 1 to 30 km/h, like 10km/h or 6.2mph; got '\(text)'")
  }
}

/// Validates a date option's form (`--date`): a date cadence can read. `CommandContext.recordedDate`
/// checks it against now when the command runs.
func validateDate(_ text: String?) throws {
  guard let text else { return }
  guard parseDate(text) != nil else {
    throw ValidationError("--date must be like 2026-11-20 or 2026-11-20T07:30; got '\(text)'")
  }
}

extension CommandContext {
  /// The `--date` given, or now: from 2000-01-01 up to now. What is recorded has happened: a
  /// date later today is as much in the future as next year, and a date the history cannot
  /// hold again (year 99999, say) must never reach it.
  func recordedDate(_ text: String?) throws -> Date {
    guard let text else { return now }
    guard let date = parseDate(text), date >= earliestDate && date <= now else {
      throw ValidationError(
        "--date must be from 2000-01-01 to now (\(isoString(now))): what you record has already happened; got '\(text)'"
      )
    }
    return date
  }
}

/// Reads a number option as a plain decimal (`parseDecimal`): ArgumentParser's own `Double`
/// would also take hex ("0x1p3"), "nan" and "inf".
func decimal(_ text: String) throws -> Double {
  guard let value = parseDecimal(text) else {
    throw ValidationError("'\(text)' is not a decimal number, like 20 or 2.5")
  }
  return value
}
