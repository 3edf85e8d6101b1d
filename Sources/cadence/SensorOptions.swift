import ArgumentParser
import CadenceCore
import LiveRun
import Sensors

/// `--sensor ADDRESS` on `play` and `session`: a foot pod read during the run.
struct SensorOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read your cadence live from this Bluetooth foot pod (an address cadence sensors lists) and show it beside the "
        + "target; each minute's is stored with the run.", valueName: "address"))
  var sensor: String?

  @Option(
    name: .customLong("quiet-coach"),
    help: ArgumentHelp(
      "With a live cadence (--sensor, or session --listen): the click goes quiet once you have held within this many "
        + "spm of the target for 30 s, and comes back on the next beat when you drift, with a cue (two tones: "
        + "quicker; three: slower; spoken with --voice). 1 to 10.", valueName: "spm"),
    transform: decimal)
  var quietCoach: Double?

  /// The quiet coach needs a live cadence, a band it can hold, and a click that is the
  /// runner's: intervals and a fade already take the click away on their own schedule.
  func validateQuietCoach(listening: Bool = false, shapedSilences: Bool = false) throws {
    guard let band = quietCoach else { return }
    guard band.isFinite, QuietCoach.bands.contains(band) else {
      throw ValidationError("--quiet-coach must be from 1 to 10 spm either side of the target; got \(format(band, 1))")
    }
    guard sensor != nil || listening else {
      throw ValidationError(
        "--quiet-coach needs your live cadence: add --sensor ADDRESS (a foot pod), or run a session with --listen")
    }
    guard !shapedSilences else {
      throw ValidationError(
        "--quiet-coach does not combine with --intervals or --fade: they take the click away on their own schedule")
    }
  }

  /// The foot pod, connected before the run; where it cannot be, the words say why and what to
  /// do, and the run goes on without it.
  func start(in context: CommandContext) -> FootPodFeed? {
    guard let sensor else { return nil }
    do {
      return try FootPodFeed(address: sensor)
    } catch {
      let words = SensorWords.words(error)
      context.note("cadence: no foot pod: \(words.message); \(words.hint ?? "") (the run goes on without it)")
      return nil
    }
  }

  /// What the run's end says of the pod's link, when it was lost.
  static func lossLine(_ pod: FootPodFeed?) -> String? {
    guard let pod, pod.losses > 0 else { return nil }
    return
      "The foot pod's link was lost \(pod.losses) time\(pod.losses == 1 ? "" : "s") and came back; the run went on."
  }
}
