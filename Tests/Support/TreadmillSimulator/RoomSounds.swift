import Glibc

/// What else a treadmill room holds, mixed into a recording: music from speakers, somebody
/// talking, the belt's seam. Each is made independently of the detector's design (its own
/// pitches, lengths and levels), seeded so that a room is the same run after run.
extension TreadmillRecording {
  /// Music with a steady beat at `bpm`: a kick drum on every beat (a pitch drop from 110 to
  /// 45 Hz, as low and as short as a footfall, which is the hard case), a bass line on the
  /// eighth notes (55-82 Hz) and a hi-hat between beats. `level` is the kick's peak; footfalls
  /// peak at 0.4-0.5. Starts at `start` seconds.
  public mutating func addMusic(bpm: Double, level: Double = 0.5, start: Double = 0, seed: UInt64 = 11) {
    var rng = LCG(state: seed)
    let beat = 60 / bpm
    let bass = [55.0, 65.4, 73.4, 82.4, 73.4, 65.4, 55.0, 61.7]
    var t = start
    var eighth = 0
    while t < duration {
      if eighth % 2 == 0 {
        add(at: t, seconds: 0.25) { s in
          let f = 45 + 65 * exp(-s / 0.03)
          return level * sin(2 * Double.pi * f * s) * exp(-s / 0.09)
        }
      } else {
        add(at: t, seconds: 0.05) { [level] s in level * 0.15 * rng.symmetric() * exp(-s / 0.01) }
      }
      let pitch = bass[eighth % bass.count]
      add(at: t, seconds: beat / 2 * 0.9) { s in
        let saw = 2 * (s * pitch - (s * pitch).rounded(.down)) - 1
        return level * 0.35 * saw * min(1, s / 0.005) * exp(-s / 0.2)
      }
      eighth += 1
      t += beat / 2
    }
  }

  /// Somebody talking near the microphone: voiced syllables (a 105-135 Hz voice with its
  /// harmonics) of 80-220 ms at an uneven 3-6 per second, in phrases of 1-3 s with pauses.
  public mutating func addSpeech(level: Double = 0.3, start: Double = 0, seed: UInt64 = 12) {
    var rng = LCG(state: seed)
    var t = start
    while t < duration {
      let phraseEnd = t + 1 + 2 * rng.uniform()
      while t < phraseEnd && t < duration {
        let f0 = 105 + 30 * rng.uniform()
        let length = 0.08 + 0.14 * rng.uniform()
        let loud = level * (0.5 + 0.5 * rng.uniform())
        add(at: t, seconds: length) { s in
          let shape = sin(Double.pi * s / length)
          var v = 0.0
          for h in 1...6 { v += sin(2 * Double.pi * f0 * Double(h) * s) / Double(h) }
          return loud * shape * v * 0.5
        }
        t += length + 0.04 + 0.2 * rng.uniform()
      }
      t += 0.4 + 0.8 * rng.uniform()
    }
  }

  /// The belt's seam knocking on the deck once per turn: a 3 m belt at `speed` metres per
  /// second, a short 180 Hz knock.
  public mutating func addBeltSeam(speed: Double, beltMetres: Double = 3, level: Double = 0.35) {
    var t = 0.3
    while t < duration {
      add(at: t, seconds: 0.06) { s in level * sin(2 * Double.pi * 180 * s) * exp(-s / 0.012) }
      t += beltMetres / speed
    }
  }

  /// The recording's length in seconds.
  public var duration: Double { Double(samples.count) / rate }

  /// Mixes `seconds` of `wave(time since start)` in at `at` seconds.
  mutating func add(at: Double, seconds: Double, _ wave: (Double) -> Double) {
    let first = Int(at * rate)
    let count = min(Int(seconds * rate), samples.count - first)
    guard first >= 0, count > 0 else { return }
    for n in 0..<count { samples[first + n] += Float(wave(Double(n) / rate)) }
  }
}
