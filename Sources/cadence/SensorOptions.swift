import ArgumentParser
import CadenceCore
import History
import LiveRun
import Sensors

/// `--sensor ADDRESS` on `play` and `session`: a foot pod read during the run.
struct SensorOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read a Bluetooth foot pod (your cadence) or treadmill (belt speed and distance) live, by an address cadence "
        + "sensors lists; give it twice for both. Each minute's is stored with the run.", valueName: "address"))
  var sensor: [String] = []

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
    guard !sensor.isEmpty || listening else {
      throw ValidationError(
        "--quiet-coach needs your live cadence: add --sensor ADDRESS (a foot pod), or run a session with --listen")
    }
    guard !shapedSilences else {
      throw ValidationError(
        "--quiet-coach does not combine with --intervals or --fade: they take the click away on their own schedule")
    }
  }

  /// [product choice] A foot pod and a treadmill: more sensors than a run reads at once.
  static let mostSensors = 2

  func validateSensors() throws {
    guard sensor.count <= Self.mostSensors else {
      throw ValidationError("--sensor takes a foot pod and a treadmill, two at most; got \(sensor.count)")
    }
  }

  /// The sensors, connected before the run, sharing one `Sensing`; one that cannot be reached
  /// is said, with what to do, and the run goes on without it. A second foot pod (or
  /// treadmill) is let go and said.
  func start(in context: CommandContext) -> SensorFeeds {
    var feeds: [SensorFeed] = []
    for address in sensor {
      do {
        let feed = try SensorFeed(address: address, into: feeds.first?.sensing)
        if feeds.contains(where: { $0.kind == feed.kind }) {
          feed.stop()
          context.note("cadence: \(feed.address) is a second \(feed.kind.rawValue); the run reads the first")
          continue
        }
        feeds.append(feed)
      } catch {
        let words = SensorWords.words(error)
        context.note(
          "cadence: no sensor \(address): \(words.message); \(words.hint ?? "") (the run goes on without it)")
      }
    }
    return SensorFeeds(feeds: feeds)
  }
}

/// The sensors a run reads: their one `Sensing`, and what the end says of their links.
struct SensorFeeds {
  var feeds: [SensorFeed]

  var sensing: Sensing? { feeds.first?.sensing }

  func stop() { for feed in feeds { feed.stop() } }

  /// What the run's end says of each sensor whose link was lost.
  var lossLines: [String] {
    feeds.compactMap { feed in
      guard feed.losses > 0 else { return nil }
      let what = feed.kind == .footPod ? "foot pod" : "treadmill"
      return
        "The \(what)'s link was lost \(feed.losses) time\(feed.losses == 1 ? "" : "s") and came back; the run went on."
    }
  }
}

extension RunRecord {
  /// A treadmill's belt, where one was read, gives the run's distance and speed (over the
  /// setting or the plan's speed: the belt is what was run).
  mutating func takeBelt(_ outcome: RunOutcome) {
    guard let meters = outcome.beltMeters, meters > 0, let speed = outcome.beltSpeed else { return }
    distanceMeters = (meters * 10).rounded() / 10
    speedMetersPerSecond = (speed * 100).rounded() / 100
  }
}
