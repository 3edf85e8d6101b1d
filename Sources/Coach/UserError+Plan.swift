import CadenceCore

extension UserError {
  public static func plan(_ error: PlanError) -> UserError {
    let message: String
    switch error {
    case .startOutOfRange(let s): message = "a current cadence of \(Cadence.format(s)) spm is outside 100-240"
    case .goalAboveBand(let g): message = "a goal of \(Cadence.format(g)) spm is above 190, the top of the band"
    case .goalNotAboveStart(let s, let g):
      message = "the goal (\(Cadence.format(g)) spm) is below your current cadence (\(Cadence.format(s)) spm)"
    case .stepOutOfRange(let s): message = "a step of \(format(s, 1)) spm is outside 1-5"
    case .holdTooShort(let d, let r): message = "a hold of \(d) days / \(r) runs is shorter than 7 days / 3 runs"
    case .holdTooLong(let d, let r): message = "a hold of \(d) days / \(r) runs is longer than 365 days / 100 runs"
    case .painOutOfRange(let p): message = "a baseline pain of \(p) is outside 0-10"
    }
    return UserError(message: message, hint: "see cadence plan --help", code: .usage)
  }
}
