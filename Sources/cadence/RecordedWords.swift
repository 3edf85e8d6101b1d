import CadenceCore
import Coach
import Foundation
import History

/// The words for what the ledger did: the command line's alone. Every command that records
/// says its outcome through these, so a run, a measurement or a removal always reads the same.
extension RunLedger.Outcome {
  /// What the change did to the plan ("Plan: up to 165 spm ..."), when there is a plan.
  var planLine: String? {
    guard let before, let after else { return nil }
    return planChange(from: before, to: after, previous: previous)
  }
}

extension RunLedger.Outcome<[MeasurementRecord]> {
  /// After a measurement: what it did to the plan, or, with no plan yet, that it was stored and
  /// the next command.
  var nextLine: String {
    planLine
      ?? "Stored in your history. Next: cadence plan makes your plan from it, then cadence session plays its "
      + "first rung."
  }
}

extension RunLedger.Outcome<RunRecord> {
  /// The stored run in a line, the advice its warning signs call for, and the plan's change.
  func lines(units: UnitSystem) -> [String] {
    let run = rows
    return [describe(run, units: units)] + (run.signs.isEmpty ? [] : [warningAdvice(run.signs)])
      + [planLine].compactMap { $0 } + notices
  }
}

extension RunLedger.Outcome<[ImportOutcome]> {
  /// Each file's report (or that it was skipped), then the plan's change.
  var lines: [String] {
    rows.map { outcome in
      switch outcome {
      case .stored(let activity, _, _): activity.description
      case .skipped(let activity): "\(activity.name) (\(isoString(activity.date))): already imported; skipped"
      }
    } + [planLine].compactMap { $0 } + notices
  }

  var stored: [(MeasurementRecord?, RunRecord)] {
    rows.compactMap {
      guard case .stored(_, let m, let r) = $0 else { return nil }
      return (m, r)
    }
  }

  var skipped: [String] {
    rows.compactMap {
      guard case .skipped(let activity) = $0 else { return nil }
      return activity.name
    }
  }
}

extension CommandContext {
  /// The ledger of the history `storage` names (made if needed), at now.
  func ledger(_ storage: StorageOptions) throws -> RunLedger {
    RunLedger(db: try storage.open(self), now: now)
  }
}
