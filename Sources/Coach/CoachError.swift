import CadenceCore
import History

/// What can go wrong while recording or reporting a runner's training, in the coach's own
/// terms. The command line words it for the runner (message, hint, exit code).
public enum CoachError: Error, Sendable {
  /// The history could not be read or written.
  case history(HistoryError)
  /// The plan stored in the history does not make a ladder (an older cadence, or an edit by hand).
  case storedPlanInvalid(PlanError)
  /// New settings would not make a ladder.
  case settings(PlanError)
  /// There is no active plan to change.
  case noPlan
  /// No run, or measurement, has this id.
  case noSuchRun(Int64)
  case noSuchMeasurement(Int64)
}

/// Runs a history call, its error in the coach's terms.
func fromHistory<T>(_ body: @autoclosure () throws(HistoryError) -> T) throws(CoachError) -> T {
  do {
    return try body()
  } catch {
    throw .history(error)
  }
}
