import Testing

@testable import ALSA

@Suite struct DeviceKindTests {
  /// The first lines of snd_pcm_dump for the chains runners have (as libasound 1.2.8 and the
  /// plugins of Debian 12 print them before the PCM is set up).
  @Test func classifiesWhatAChainEndsIn() {
    #expect(DeviceKind(describing: "ALSA <-> PipeWire PCM I/O Plugin\n") == .pipeWire)
    #expect(DeviceKind(describing: "ALSA <-> PulseAudio PCM I/O Plugin\n") == .pulseAudio)
    #expect(DeviceKind(describing: "Plug PCM: ALSA <-> PulseAudio PCM I/O Plugin\n") == .pulseAudio)
    #expect(DeviceKind(describing: "Plug PCM: ALSA <-> JACK PCM I/O Plugin\n") == .jack)
    #expect(
      DeviceKind(describing: "Plug PCM: ALSA <-> BlueALSA PCM I/O Plugin\n")
        == .otherServer("ALSA <-> BlueALSA PCM I/O Plugin"))
    #expect(DeviceKind(describing: "Hardware PCM card 0 'HDA Intel PCH' device 0 subdevice 0\n") == .hardware)
    #expect(DeviceKind(describing: "Plug PCM: Hardware PCM card 1 'USB Audio' device 0 subdevice 0\n") == .hardware)
    #expect(DeviceKind(describing: "Null PCM\n") == .other("Null PCM"))
    #expect(
      DeviceKind(describing: "File PCM (file=/tmp/x.raw)\nSlave: Null PCM\n") == .other("File PCM (file=/tmp/x.raw)"))
  }

  /// A real PCM asks libasound for its chain.
  @Test func aFilePCMIsNotASoundServer() throws {
    let pcm = try PCM(name: "capture", configText: captureConfig(temporaryPath("kind.raw")))
    #expect(pcm.kind == .other("File PCM (file=\(temporaryPath("kind.raw")))"))
    let null = try PCM(name: "nullpcm", configText: "pcm.nullpcm { type null }")
    #expect(null.kind == .other("Null PCM"))
  }
}
