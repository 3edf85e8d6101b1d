import CSampleRate

/// Why libsamplerate could not convert (a ratio outside 1/256 to 256, no memory).
public struct ResamplingError: Error, Equatable, Sendable {
  public var reason: String
}

/// libsamplerate's sinc converter (medium quality: 97 dB SNR, a passband to 90% of the lower
/// Nyquist frequency), fed in blocks. Runs when a sound or a spoken cue is loaded, never on
/// the render thread.
final class StreamingResampler {
  private let state: OpaquePointer
  private let ratio: Double
  private var output: [Float]

  init(from sourceRate: Double, to targetRate: Double) throws(ResamplingError) {
    var error: Int32 = 0
    guard let state = src_new(Int32(SRC_SINC_MEDIUM_QUALITY), 1, &error) else {
      throw ResamplingError(reason: "the resampler could not start: \(String(cString: src_strerror(error)))")
    }
    self.state = state
    ratio = targetRate / sourceRate
    output = [Float](repeating: 0, count: 4_096)
  }

  deinit { src_delete(state) }

  /// Converts `input` and appends what comes out to `out`; `last` flushes the converter.
  func process(_ input: ArraySlice<Float>, last: Bool, into out: inout [Float]) throws(ResamplingError) {
    let input = Array(input)
    let count = input.count
    var offset = 0
    repeat {
      let capacity = max(4_096, Int((Double(count - offset) * ratio).rounded(.up)) + 64)
      if output.count < capacity { output = [Float](repeating: 0, count: capacity) }
      var data = SRC_DATA()
      let code = input.withUnsafeBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
          data.data_in = inBuffer.baseAddress.map { $0 + offset }
          data.input_frames = count - offset
          data.data_out = outBuffer.baseAddress
          data.output_frames = outBuffer.count
          data.src_ratio = ratio
          data.end_of_input = last ? 1 : 0
          return src_process(state, &data)
        }
      }
      guard code == 0 else {
        throw ResamplingError(reason: "resampling failed: \(String(cString: src_strerror(code)))")
      }
      out.append(contentsOf: output[0..<data.output_frames_gen])
      offset += data.input_frames_used
      // Flushing: repeat until the converter gives nothing more.
      if last && data.output_frames_gen == 0 { return }
      if !last && offset >= count { return }
    } while true
  }
}

/// `input` (mono) at `targetRate`: the same converter as files get, for clips made in memory
/// (spoken cues from espeak-ng). Rates are 8 to 384 kHz.
public func resample(_ input: [Float], from sourceRate: Double, to targetRate: Double) throws(ResamplingError)
  -> [Float]
{
  guard sourceRate != targetRate, !input.isEmpty else { return input }
  let resampler = try StreamingResampler(from: sourceRate, to: targetRate)
  var out: [Float] = []
  out.reserveCapacity(Int((Double(input.count) * targetRate / sourceRate).rounded(.up)) + 64)
  try resampler.process(input[...], last: true, into: &out)
  return out
}
