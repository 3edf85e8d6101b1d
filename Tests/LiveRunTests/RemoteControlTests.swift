import ClickEngine
import LiveRun
import Testing

extension LiveRunTests {
  /// MPRIS commands do what their keys do: Play only when paused, Pause only when playing,
  /// Next only where there is a next phase, Stop ends the run; the state shown follows.
  @Test func remoteCommandsActAsTheirKeys() {
    let (run, _) = play(170, minutes: 2)
    #expect(run.handle(RemoteCommand.play) == .carryOn && !run.paused)
    #expect(run.handle(RemoteCommand.pause) == .carryOn && run.paused)
    #expect(run.handle(RemoteCommand.pause) == .carryOn && run.paused)
    #expect(run.remoteState.status == .paused)
    #expect(run.handle(RemoteCommand.play) == .carryOn && !run.paused)
    #expect(run.handle(RemoteCommand.playPause) == .carryOn && run.paused)
    #expect(run.handle(RemoteCommand.next) == .carryOn)
    #expect(
      run.remoteState
        == RemoteState(
          status: .paused, title: "170 spm · 2:00 left", album: "cadence play", lengthMicroseconds: 120_000_000,
          positionMicroseconds: 0, canGoNext: false))
    #expect(run.handle(RemoteCommand.stop) == .stop)
    let (session, _) = session(SessionSpec(warmUpMinutes: 1, blockMinutes: 2, blockSPM: 170, coolDownMinutes: 1))
    #expect(
      session.remoteState
        == RemoteState(
          status: .playing, title: "no click · warm-up · 4:00 left",
          album: "1:00 warm-up, 2:00 at 170 spm, 1:00 cool-down", lengthMicroseconds: 240_000_000,
          positionMicroseconds: 0, canGoNext: true))
  }
}
