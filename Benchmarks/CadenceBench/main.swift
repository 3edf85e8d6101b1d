// Render benchmark: `swift run -c release cadence-bench`.
//
// Renders one hour of click track at 48 kHz through `ClickEngine.render`, as the ALSA thread
// does (256-frame periods, with a tempo change every minute) and as `cadence render` does
// (65536-frame blocks), five times each; prints the median throughput and the allocations made
// on the rendering thread, and exits 1 if there was any.
import AllocationCounter
import CadenceCore
import ClickEngine
import Glibc

func now() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `x` with `digits` decimals.
func fixed(_ x: Double, _ digits: Int) -> String {
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let v = Int((x * scale).rounded())
  guard digits > 0 else { return String(v) }
  let s = String(v)
  let padded = String(repeating: "0", count: max(0, digits + 1 - s.count)) + s
  return String(padded.dropLast(digits)) + "." + String(padded.suffix(digits))
}

let rate = 48_000.0
let hour = Int64(rate * 3600)
// The counter must see an allocation, or "0 allocations" would prove nothing.
CCadenceAlloc_begin()
let probe = [Int](repeating: 1, count: Int(now()) % 7 + 100)
var failed = CCadenceAlloc_end() == 0
if failed { print("allocation counter saw no allocation for a \(probe.count)-element array") }
print("render 1 h of clicks at 170 spm, 48 kHz mono float (median of 5)")
for block in [256, 65_536] {
  var times: [Double] = []
  var allocations = 0
  for _ in 0..<5 {
    let engine = ClickEngine(
      sampleRate: rate, sound: ClickSynth.sound(sampleRate: rate), settings: ClickSettings(spm: 170, accentEvery: 4))
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: block)
    var done: Int64 = 0
    var nextChange = Int64(rate * 60)
    let start = now()
    while done < hour {
      if done >= nextChange {  // control side, not counted: a live tempo change each minute
        engine.commands.push(TimedCommand(.setCadence(170 + Double(done / Int64(rate * 60) % 10))))
        nextChange += Int64(rate * 60)
      }
      CCadenceAlloc_begin()
      engine.render(buffer)
      allocations += CCadenceAlloc_end()
      while engine.events.pop() != nil {}
      done += Int64(block)
    }
    times.append(now() - start)
    buffer.deallocate()
  }
  let median = times.sorted()[2]
  let fps = Double(hour) / median
  print(
    "  block \(block) frames: \(fixed(median, 3)) s, \(fixed(fps / 1e6, 0)) M frames/s, \(fixed(fps / rate, 0))x real time, \(allocations) allocations while rendering"
  )
  if allocations != 0 { failed = true }
}
exit(failed ? 1 : 0)
