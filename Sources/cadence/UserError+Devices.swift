import ALSA
import ArgumentParser
import AudioFile
import Coach
import Glibc
import LiveRun

extension UserError {
  static func device(_ name: String, _ error: ALSAError, doing what: String) -> UserError {
    let hint: String
    switch error.code {
    case ALSAError.busy:
      hint =
        "another program is using it; close that program, or pick another PCM with --device (see `cadence devices`)"
    case _ where error.function.hasPrefix("snd_pcm_open"):
      // Opening fails (EINVAL, ENOENT, ENODEV, ENXIO) when no such PCM or card exists.
      return UserError(
        message: "cannot open ALSA device '\(name)': there is no such device here (\(error.reason), \(error.function))",
        hint: "pick one of the PCMs `cadence devices` lists, or leave --device out for the default", code: .unavailable)
    case -EINVAL:
      hint =
        "the device refused every format cadence offers (FLOAT/S32/S16, 44.1 or 48 kHz, mono or stereo); try --device plug:\(name) or another PCM from `cadence devices`"
    default:
      hint =
        "pick a PCM with --device NAME (list them with `cadence devices`), or write the click track to a file with `cadence render`"
    }
    return UserError(
      message: "cannot \(what) ALSA device '\(name)': \(error.reason) (\(error.function))", hint: hint,
      code: .unavailable)
  }
}

/// Prints a UserError the way every command does and turns it into an exit code.
func report(_ error: UserError) -> ExitCode {
  var text = "cadence: error: \(error.message)\n"
  if let hint = error.hint { text += "  try: \(hint)\n" }
  standardError.write(text)
  return ExitCode(error.code.rawValue)
}

/// Unbuffered standard error.
struct StandardError {
  func write(_ text: String) {
    var text = text
    text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
  }
}
let standardError = StandardError()

/// Standard output, flushed at once (status lines must show as they happen).
func say(_ text: String) { StandardOutput().line(text) }

/// Words for the runner: on standard output, or on standard error when standard output
/// carries JSON.
func speaker(json: Bool) -> (String) -> Void {
  json ? { standardError.write($0 + "\n") } : { say($0) }
}
