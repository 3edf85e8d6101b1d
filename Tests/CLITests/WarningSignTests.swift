import Foundation
import Testing

/// domain.md: "A warning sign is reported on its own: it must never need a full check-in to be
/// heard." Reported alone, with a run but no check-in, or in a check-in: each pauses the plan
/// at once with the articles' advice, and play and session respect the pause.
@Suite struct WarningSignTests {
  static let advice = """
    STOP: you reported a warning sign. Do not run through it.
      - Pain that radiates down a leg (especially below the knee), or numbness, tingling or weakness with it
    Stop running and see a professional: a general practitioner, physical therapist or sports-medicine specialist can diagnose the cause.
    Your cadence plan is paused. When a professional has cleared you to run: cadence plan resume
    (cadence is a training tool, not medical advice.)
    """

  func planned(_ name: String) throws -> Runner {
    let r = Runner(name)
    let made = try r.run(["plan", "--current", "160"], at: "2026-01-01T08:00:00Z")
    #expect(made.status == 0, "\(made.stderr)")
    return r
  }

  @Test func warnAloneIsHeardAndPausesThePlan() throws {
    let r = try planned("warn-alone")
    let warned = try r.run(["warn", "radiating-pain"], at: "2026-01-02T08:00:00Z")
    #expect(warned.status == 0, "\(warned.stderr)")
    #expect(
      warned.stdout == """
        reported warning signs on 2026-01-02 (not a run)
        \(Self.advice)
        Plan paused.

        """)
    // Stored as a report, not a run.
    let csv = try r.run(["history", "--reports", "--csv"], at: "2026-01-02T09:00:00Z")
    #expect(csv.stdout.contains(",report,,,,,,,false,false,,,radiating-pain,"), "\(csv.stdout)")
  }

  @Test func logWarningAloneIsAReportToo() throws {
    let r = try planned("log-warning-alone")
    let warned = try r.run(["log", "--warning", "bladder-bowel"], at: "2026-01-02T08:00:00Z")
    #expect(warned.status == 0, "\(warned.stderr)")
    #expect(warned.stdout.hasPrefix("reported warning signs on 2026-01-02 (not a run)\n"))
    #expect(warned.stdout.contains("Loss of bladder or bowel control needs immediate medical attention.\n"))
    #expect(warned.stdout.hasSuffix("Plan paused.\n"))
  }

  @Test func aRunWithoutACheckInStillPausesOnAWarningSign() throws {
    let r = try planned("run-no-checkin-warning")
    let logged = try r.run(["log", "--minutes", "20", "--warning", "leg-weakness"], at: "2026-01-02T08:00:00Z")
    #expect(logged.status == 0, "\(logged.stderr)")
    #expect(logged.stdout.hasPrefix("logged run on 2026-01-02, 160 spm, 20:00, no check-in\n"))
    #expect(logged.stdout.hasSuffix("Plan paused.\n"))
  }

  @Test func playRefusesWhileThePlanIsPausedUnlessToldOtherwise() throws {
    let r = try planned("play-paused")
    try r.run(["warn", "radiating-pain"], at: "2026-01-02T08:00:00Z")
    let refused = try r.run(["play", "170", "--minutes", "0.001", "--device", "null"], at: "2026-01-02T09:00:00Z")
    #expect(refused.status == 64)
    #expect(
      refused.stderr == """
        cadence: error: your plan is paused after a warning sign: stop running until a professional has cleared you
        \(Self.advice)
          try: once cleared: cadence plan resume (--despite-warning plays anyway, against that advice)

        """)
    let logged = try r.run(
      ["play", "170", "--minutes", "0.001", "--device", "null", "--log"], at: "2026-01-02T09:00:00Z", stdin: "")
    #expect(logged.status == 64)
    let anyway = try r.run(
      ["play", "170", "--minutes", "0.001", "--device", "null", "--despite-warning"], at: "2026-01-02T09:00:00Z")
    #expect(anyway.status == 0, "\(anyway.stderr)")
    #expect(
      anyway.stdout.hasPrefix(
        "Playing despite the warning sign you reported: the advice is to stop running and see a professional.\n"))
    let session = try r.run(["session", "--device", "null"], at: "2026-01-02T09:00:00Z")
    #expect(session.status == 64)
    try r.run(["plan", "resume"], at: "2026-01-05T08:00:00Z")
    let cleared = try r.run(["play", "170", "--minutes", "0.001", "--device", "null"], at: "2026-01-05T09:00:00Z")
    #expect(cleared.status == 0, "\(cleared.stderr)")
    // No runs (the report is listed apart, with --reports): play without --log stores nothing.
    #expect(try r.runCount() == 0)
  }
}
