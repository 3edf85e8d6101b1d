import LiveRun
import Testing

@Suite struct KeyDecoderTests {
  @Test func tempoKeysAndTheirLimits() {
    #expect([Key.up, .down, .pageUp, .pageDown, .space, .quit].map(\.cadenceStep) == [1, -1, 5, -5, nil, nil])
    #expect(nudged(170, by: 5) == 175)
    #expect(nudged(238, by: 5) == 240)
    #expect(nudged(240, by: 1) == nil)
    #expect(nudged(100, by: -5) == nil)
  }

  @Test func arrowsPagesAndPlainKeys() {
    var decoder = KeyDecoder()
    let bytes: [UInt8] = Array("\u{1B}[A\u{1B}[B\u{1B}[5~\u{1B}[6~\u{1B}[1;2A\u{1B}[1;2B\u{1B}OA+-= q".utf8)
    #expect(
      decoder.feed(bytes) == [.up, .down, .pageUp, .pageDown, .pageUp, .pageDown, .up, .up, .down, .up, .space, .quit])
  }

  @Test func sequencesSplitAcrossReads() {
    var decoder = KeyDecoder()
    #expect(decoder.feed([0x1B]) == [])
    #expect(decoder.feed(Array("[5".utf8)) == [])
    #expect(decoder.feed(Array("~n".utf8)) == [.pageUp, .character("n")])
    #expect(decoder.feed(Array("\u{1B}[15~x".utf8)) == [.character("x")])  // F5: ignored
  }
}
