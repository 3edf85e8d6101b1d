import CadenceCore
import Foundation

/// The post-run check-in: effort, back pain, whether the run held the cadence, the warning
/// signs of domain.md, distance. Asks through `write` and reads answers line by line through
/// `readLine` (the command line gives it standard error and standard input); at end of input
/// it gives up and the run is saved without a check-in.
public struct CheckInAnswers: Equatable, Sendable {
  public var effort: Int
  public var backPain: Int
  public var completedAtTarget: Bool
  public var warningSigns: Set<WarningSign>
  public var distanceMeters: Double?

  public init(
    effort: Int, backPain: Int, completedAtTarget: Bool, warningSigns: Set<WarningSign>, distanceMeters: Double?
  ) {
    self.effort = effort
    self.backPain = backPain
    self.completedAtTarget = completedAtTarget
    self.warningSigns = warningSigns
    self.distanceMeters = distanceMeters
  }
}

/// What a check-in that ended early (Ctrl-D, Ctrl-C, answers it could not read) had been told:
/// kept with the run. A warning sign answered yes is heard whatever comes after it; effort and
/// pain are kept, and the run counts towards a rung once both are there (`cadence checkin`).
public struct PartialCheckIn: Equatable, Sendable {
  public var effort: Int?
  public var backPain: Int?
  public var warningSigns: Set<WarningSign> = []

  public init(effort: Int? = nil, backPain: Int? = nil, warningSigns: Set<WarningSign> = []) {
    self.effort = effort
    self.backPain = backPain
    self.warningSigns = warningSigns
  }

  public var isEmpty: Bool { effort == nil && backPain == nil && warningSigns.isEmpty }
}

/// How a check-in ended.
public enum CheckInResult: Equatable, Sendable {
  case answered(CheckInAnswers)
  case interrupted(PartialCheckIn)

  public var answers: CheckInAnswers? {
    if case .answered(let answers) = self { return answers }
    return nil
  }
}

public struct CheckInPrompt {
  public var readLine: () -> String?
  public var write: (String) -> Void

  public init(readLine: @escaping () -> String?, write: @escaping (String) -> Void) {
    self.readLine = readLine
    self.write = write
  }

  /// Asks the questions; `asksCompletion` false for a run whose cadence was measured (an
  /// import): the measured cadence says whether it was at the rung, and no click was played.
  public func run(asksCompletion: Bool = true) -> CheckInAnswers? { ask(asksCompletion: asksCompletion).answers }

  /// A 0-10 answer as runners type it: "5", "5/10", and for pain "none" or "no" (0).
  static func scale(_ range: ClosedRange<Int>, none: Bool) -> (String) -> Int? {
    { text in
      let answer = text.lowercased()
      if none && (answer == "none" || answer == "no") { return 0 }
      let figure = answer.hasSuffix("/10") ? String(answer.dropLast(3)) : answer
      return Int(figure).flatMap { range.contains($0) ? $0 : nil }
    }
  }

  /// The same, keeping what an interrupted check-in was told. Five questions when all is well:
  /// effort, back pain, the click (played runs), any warning sign (each asked only after a
  /// yes), and the distance (the one the run has, offered as `offeredDistance`, kept on Enter).
  public func ask(asksCompletion: Bool = true, offeredDistance: (meters: Double, text: String)? = nil) -> CheckInResult
  {
    write("\nCheck-in (Ctrl-D to skip):\n" + Self.whatTheAnswersDo + "\n")
    var told = PartialCheckIn()
    guard let effort = ask("Effort, 1 (very easy) to 10 (maximal)? ", Self.scale(1...10, none: false)) else {
      return .interrupted(told)
    }
    told.effort = effort
    guard let pain = ask("Back pain now, 0 (none) to 10 (worst)? ", Self.scale(0...10, none: true)) else {
      return .interrupted(told)
    }
    told.backPain = pain
    guard
      let completed = asksCompletion
        ? ask("Did you run the whole cadence block on the click? [y/n] ", yesNo(default: nil)) : true
    else { return .interrupted(told) }
    guard let any = ask(WarningSign.anyQuestion + " [y/N] ", yesNo(default: false)) else { return .interrupted(told) }
    if any {
      write("  Which? Each in turn:\n")
      for sign in WarningSign.allCases {
        guard let yes = ask(sign.question + " [y/N] ", yesNo(default: false)) else { return .interrupted(told) }
        if yes { told.warningSigns.insert(sign) }
      }
    }
    let parseDistance: (String) -> Double?? = { text in
      if text.isEmpty { return .some(offeredDistance?.meters) }
      guard let meters = parseDistanceMeters(text) else { return nil }
      return .some(meters)
    }
    let distanceQuestion =
      offeredDistance.map { "Distance [\($0.text)] (Enter keeps it, or e.g. 5km, 3mi)? " }
      ?? "Distance (e.g. 5km, 3mi; empty to skip)? "
    guard let distance = ask(distanceQuestion, parseDistance) else {
      return .interrupted(told)
    }
    return .answered(
      CheckInAnswers(
        effort: effort, backPain: pain, completedAtTarget: completed, warningSigns: told.warningSigns,
        distanceMeters: distance))
  }

  /// Asks until `parse` accepts the answer, at most `maxTries` times; nil at end of input or
  /// after that many answers it could not read (endless input such as `yes` is not a runner).
  private func ask<T>(_ question: String, _ parse: (String) -> T?) -> T? {
    for _ in 0..<Self.maxTries {
      write(question)
      guard let line = readLine() else {
        write("\n")
        return nil
      }
      if let value = parse(line.trimmingCharacters(in: .whitespaces)) { return value }
      write("  please answer as shown in the question\n")
    }
    write("  no answer cadence could read after \(Self.maxTries) tries: the check-in is skipped\n")
    return nil
  }

  public static let maxTries = 5

  /// What the answers do, said before the questions.
  public static let whatTheAnswersDo =
    "(A run counts towards the next rung with effort \(Training.manageableEffort) or less and back pain no higher "
    + "than your usual; a warning sign pauses the plan.)"

  private func yesNo(default value: Bool?) -> (String) -> Bool? {
    { answer in
      switch answer.lowercased() {
      case "y", "yes": true
      case "n", "no": false
      case "": value
      default: nil
      }
    }
  }
}

/// What a runner must read after reporting a warning sign.
public func warningAdvice(_ signs: Set<WarningSign>) -> String {
  let ordered = WarningSign.allCases.filter(signs.contains)
  var lines = ["STOP: you reported a warning sign. Do not run through it."]
  for sign in ordered { lines.append("  - " + sign.question.replacingOccurrences(of: "?", with: "")) }
  let advice = Set(ordered.map(\.advice))
  for text in WarningSign.allCases.map(\.advice) where advice.contains(text) { lines.append(text) }
  lines.append("Your cadence plan is paused. When a professional has cleared you to run: cadence plan resume")
  lines.append("(cadence is a training tool, not medical advice.)")
  var seen = Set<String>()
  return lines.filter { seen.insert($0).inserted }.joined(separator: "\n")
}
