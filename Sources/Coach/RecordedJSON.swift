import CadenceCore
import History

/// What a command that records stored, for scripts (`--json`): the rows as stored (with the
/// ids `history remove` takes), what the command worked out from its input, the inputs it
/// skipped, and the plan as it now stands (none without a plan). Metric, as all JSON is.
public struct RecordedJSON<Details: Encodable>: Encodable {
  public var measurements: [HistoryExport.MeasurementRow]
  public var runs: [HistoryExport.Row]
  public var details: Details?
  public var skipped: [String]
  public var plan: PlanReport.JSONPlan?

  public init(
    measurements: [MeasurementRecord], runs: [RunRecord] = [], details: Details?, skipped: [String] = [],
    plan: PlanReport?
  ) {
    self.measurements = measurements.map(HistoryExport.MeasurementRow.init)
    self.runs = runs.map(HistoryExport.Row.init)
    self.details = details
    self.skipped = skipped
    self.plan = plan?.jsonValue
  }
}
