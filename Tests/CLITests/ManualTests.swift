import Foundation
import Settings
import Sounds
import Testing

@testable import cadence

/// The man page's FILES and ENVIRONMENT (docs/cadence.1.sections, added to `man cadence` by
/// scripts/man-sections.sh) cannot fall behind the code: every config key and every variable
/// cadence reads is there.
@Suite struct ManualTests {
  static let sections = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("docs/cadence.1.sections")

  @Test func everyConfigKeyAndVariableIsInTheManual() throws {
    let text = try String(contentsOf: Self.sections, encoding: .utf8)
    for key in Config.keys { #expect(text.contains(".It Cm \(key)\n"), "config key \(key)") }
    let variables = text.split(separator: "\n").filter { $0.hasPrefix(".It Ev ") }.flatMap {
      $0.dropFirst(7).split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
    }
    for variable in [
      CommandContext.nowEnvironmentKey, SoundLibrary.environmentKey, Voice.libraryEnvironmentKey, "XDG_CONFIG_HOME",
      "XDG_DATA_HOME", "DBUS_SESSION_BUS_ADDRESS", "DBUS_SYSTEM_BUS_ADDRESS", "TERM", "TZ",
    ] {
      #expect(variables.contains(variable), "variable \(variable)")
    }
    for section in ["FILES", "ENVIRONMENT", "EXAMPLES"] { #expect(text.contains(".Sh \(section)\n")) }
  }

  /// The script puts the sections before EXIT STATUS in a page generate-manual writes.
  @Test func theSectionsGoBeforeExitStatus() throws {
    let dir = scratchDirectory("manual")
    let page = dir.appendingPathComponent("cadence.1")
    try ".Dd today\n.Dt CADENCE 1\n.Sh NAME\n.Nm cadence\n.Sh \"EXIT STATUS\"\n.Ex -std\n".write(
      to: page, atomically: true, encoding: .utf8)
    let script = Self.sections.deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("scripts/man-sections.sh").path
    #expect(try cadence([script, page.path], executable: "/bin/bash").status == 0)
    let text = try String(contentsOf: page, encoding: .utf8)
    let files = try #require(text.range(of: ".Sh FILES\n"))
    let exit = try #require(text.range(of: ".Sh \"EXIT STATUS\""))
    #expect(files.lowerBound < exit.lowerBound)
    #expect(text.hasPrefix(".Dd today\n.Dt CADENCE 1\n.Sh NAME\n.Nm cadence\n.Sh FILES\n"))
  }
}
