import AudioFile
import Testing

@Suite struct S16ConversionTests {
  /// The branch-free conversion equals scale, clip and round-half-to-even, for every value
  /// that matters: ties, extremes, out-of-range and a dense sweep.
  @Test func matchesTheStraightforwardConversion() {
    var values: [Float] = [0, -0, 1, -1, 1.5, -1.5, 100, -100, 0.5 / 32767, 1.5 / 32767, -2.5 / 32767, .ulpOfOne]
    values += (0...200_000).map { Float($0 - 100_000) / 100_000 * 1.1 }
    var fast = [Int16](repeating: 0, count: values.count)
    values.withUnsafeBufferPointer { convertToS16($0, into: &fast) }
    let plain = values.map { Int16(min(max($0 * 32767, -32768), 32767).rounded(.toNearestOrEven)) }
    #expect(fast == plain)
    #expect(Array(fast[0..<8]) == [0, 0, 32_767, -32_767, 32_767, -32_768, 32_767, -32_768])
  }
}
