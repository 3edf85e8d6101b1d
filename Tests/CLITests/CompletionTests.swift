import Foundation
import Testing

/// The bash completion cadence generates, run in a real bash: the script is sourced, the
/// completion function called as bash calls it, and COMPREPLY read back.
@Suite struct CompletionTests {
  /// Completes the last of `words` in `dir`; the candidates, in order.
  func complete(_ words: [String], in dir: URL, environment: [String: String] = [:]) throws -> [String] {
    let quoted = ([cadenceBinary] + words).map { "'\($0)'" }.joined(separator: " ")
    let script = """
      source <('\(cadenceBinary)' --generate-completion-script bash) || exit 3
      COMP_WORDS=(\(quoted)); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
      COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
      _cadence cadence "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = dir
    process.environment = testEnvironment(environment)
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }

  @Test func valuesCompleteInBash() throws {
    let dir = scratchDirectory("completion")
    for name in ["run.tcx", "ride.gpx", "notes.txt", "click.wav", "h.sqlite", ".hidden.wav"] {
      FileManager.default.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data())
    }
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("sounds"), withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: dir.appendingPathComponent("sounds/bell.flac").path, contents: Data())

    #expect(try complete(["pl"], in: dir) == ["play", "plan"])
    #expect(try complete(["play", "--sound", ""], in: dir) == ["woodblock", "beep", "hihat", "click.wav", "sounds/"])
    #expect(try complete(["session", "--sound", "w"], in: dir) == ["woodblock"])
    #expect(try complete(["play", "--sound", "sounds/"], in: dir) == ["sounds/bell.flac"])
    // `null` is one of libasound's own PCMs, on every machine.
    #expect(try complete(["play", "--device", "nu"], in: dir) == ["null"])
    #expect(Set(try complete(["import", ""], in: dir)) == ["run.tcx", "ride.gpx", "sounds"])
    #expect(Set(try complete(["history", "show", "--db", ""], in: dir)) == ["h.sqlite", "sounds"])
    // Files by extension are bash's own completion (compgen -f), which offers hidden files too.
    #expect(
      Set(try complete(["render", "play", "170", "--minutes", "1", "-o", ""], in: dir)) == [
        "click.wav", ".hidden.wav", "sounds",
      ])
    #expect(Set(try complete(["render", "session", "-o", ""], in: dir)) == ["click.wav", ".hidden.wav", "sounds"])
  }
}
