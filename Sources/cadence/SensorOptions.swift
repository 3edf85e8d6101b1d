import ArgumentParser
import CadenceCore
import History
import LiveRun
import Sensors
import Settings

/// `--sensor ADDRESS` on `play` and `session`: a foot pod read during the run.
struct SensorOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read a Bluetooth foot pod (your cadence) or treadmill (belt speed and distance) live, by an address cadence "
        + "sensors lists; give it twice for both (default: those cadence sensors use remembered; none for none). Each "
        + "minute's is stored with the run.", valueName: "address"), completion: Completions.sensor)
  var sensor: [String] = []

  @Option(
    help: ArgumentHelp(
      "What the foot pod counts where its speed cannot tell: steps or strides (default: the config's foot_pod_counts, "
        + "else decided by its speed).", valueName: "steps|strides"))
  var counts: String?

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
    guard !sensor.contains("none") || sensor == ["none"] else {
      throw ValidationError("--sensor none reads no sensor: give it alone")
    }
    if let counts, counts != "steps" && counts != "strides" {
      throw ValidationError("--counts must be steps or strides; got '\(counts)'")
    }
  }

  /// The sensors a run reads: --sensor's (none for `--sensor none`), else the foot pod and
  /// treadmill `cadence sensors use` remembered in the config.
  func addresses(_ config: Config) -> [String] {
    if sensor == ["none"] { return [] }
    if !sensor.isEmpty { return sensor }
    return [config.footPod, config.treadmill].compactMap { $0 }
  }

  /// The quiet coach needs a live cadence: a sensor to read, or the microphone.
  func requireLiveCadence(_ config: Config, listening: Bool = false) throws(UserError) {
    guard quietCoach != nil, addresses(config).isEmpty, !listening else { return }
    throw UserError(
      message:
        "--quiet-coach needs your live cadence: add --sensor ADDRESS (a foot pod), or run a session with --listen",
      hint: "cadence sensors lists foot pods; cadence sensors use ADDRESS remembers one", code: .usage)
  }

  /// The sensors, connected before the run, sharing one `Sensing`; one that cannot be reached
  /// is said, with what to do, and the run goes on without it. A second foot pod (or
  /// treadmill) is let go and said.
  func start(in context: CommandContext, config: Config) -> SensorFeeds {
    var feeds: [SensorFeed] = []
    let given: StepOrStride? =
      switch counts ?? config.footPodCounts {
      case "steps": .steps
      case "strides": .strides
      default: nil
      }
    for address in addresses(config) {
      do {
        let feed = try SensorFeed(address: address, given: given, into: feeds.first?.sensing)
        // A second sensor of a kind is let go before its thread starts: each ring has one
        // producer.
        if feeds.contains(where: { $0.kind == feed.kind }) {
          feed.stop()
          context.note("cadence: \(feed.address) is a second \(feed.kind.rawValue); the run reads the first")
          continue
        }
        feed.start()
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
