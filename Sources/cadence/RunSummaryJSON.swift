import CadenceCore
import Coach
import History
import LiveRun

/// `play --json` and `session --json`: how the run went and, when it was stored, the row as
/// stored (check-in included) and the plan after it. Metric, as all JSON is.
struct RunSummaryJSON: Encodable {
  struct Played: Encodable {
    var seconds: Double
    var frames: Int64
    var clicks: Int
    var xruns: Int
    var stoppedEarly: Bool
    var finalSPM: Double
    /// The cadence heard in each minute (`--listen`).
    var heardPerMinute: [Double]
    /// ... each with its minute and, where measured, the footfalls' timing against the click
    /// (mean and spread of footfall minus click, ms).
    var heard: [HeardMinute]
    /// Stretches without sound (a lost device): seconds from the start; `to` is absent when the
    /// device never came back.
    var silences: [Silence]
    /// What the quiet coach did (`--quiet-coach`): null without it.
    var quietCoach: QuietCoachJSON?
  }

  struct Silence: Encodable {
    var from: Double
    var to: Double?
  }

  /// The quiet coach's band, the stretches it held the click back (seconds from the start;
  /// `to` null when one ran to the end) and its cues ("quicker" or "slower").
  struct QuietCoachJSON: Encodable {
    struct Cue: Encodable {
      var at: Double
      var cue: String
    }

    var bandSPM: Double
    var quietSeconds: Double
    var quiet: [Silence]
    var cues: [Cue]
  }

  var played: Played
  var run: HistoryExport.Row?
  var plan: PlanReport.JSONPlan?

  init(_ outcome: RunOutcome, stored: RunRecord?, plan: PlanReport?) {
    played = Played(
      seconds: outcome.seconds, frames: outcome.framesPlayed, clicks: outcome.clicks, xruns: outcome.xruns,
      stoppedEarly: outcome.stoppedEarly, finalSPM: outcome.finalSPM, heardPerMinute: outcome.heardPerMinute.map(\.spm),
      heard: outcome.heardPerMinute,
      silences: outcome.gaps.map {
        Silence(from: Double($0.from) / outcome.sampleRate, to: $0.to.map { Double($0) / outcome.sampleRate })
      },
      quietCoach: outcome.quiet.map { tally in
        let rate = outcome.sampleRate
        return QuietCoachJSON(
          bandSPM: tally.band, quietSeconds: Double(tally.silentFrames(upTo: outcome.framesPlayed)) / rate,
          quiet: tally.silences.map { Silence(from: Double($0.from) / rate, to: $0.to.map { Double($0) / rate }) },
          cues: tally.cues.map {
            QuietCoachJSON.Cue(at: Double($0.frame) / rate, cue: $0.drift == .tooSlow ? "quicker" : "slower")
          })
      })
    run = stored.map(HistoryExport.Row.init)
    self.plan = plan?.jsonValue
  }
}
