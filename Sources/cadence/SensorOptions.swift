import ArgumentParser
import LiveRun
import Sensors

/// `--sensor ADDRESS` on `play` and `session`: a foot pod read during the run.
struct SensorOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Read your cadence live from this Bluetooth foot pod (an address cadence sensors lists) and show it beside the "
        + "target; each minute's is stored with the run.", valueName: "address"))
  var sensor: String?

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
