/// Drives an engine without a device: renders `frames` frames in blocks and hands each block
/// to `write`. The same `render` call the ALSA thread makes, so a file holds exactly what a
/// device would have played.
public func renderOffline<Failure: Error>(
  _ engine: ClickEngine, frames: Int64, blockFrames: Int = 4096,
  write: (UnsafeBufferPointer<Float>) throws(Failure) -> Void
) throws(Failure) {
  precondition(blockFrames > 0 && frames >= 0)
  let block = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockFrames)
  defer { block.deallocate() }
  var remaining = frames
  while remaining > 0 {
    let n = Int(min(Int64(blockFrames), remaining))
    let slice = UnsafeMutableBufferPointer(rebasing: block[0..<n])
    engine.render(slice)
    try write(UnsafeBufferPointer(slice))
    remaining -= Int64(n)
  }
}
