import Glibc

/// The built-in click, synthesized when no sound file can be found: a woodblock-like knock,
/// two damped partials at 2.2 and 3.3 kHz (where the ear is most sensitive and treadmill
/// belt noise is weakest), 40 ms long, with a 0.5 ms attack so it starts without a pop.
public enum ClickSynth {
  public static func woodblock(sampleRate: Double, accent: Bool) -> [Float] {
    let length = Int(0.040 * sampleRate)
    let base = accent ? 2_800.0 : 2_200.0
    let level = accent ? 0.95 : 0.7
    let attack = 0.0005 * sampleRate
    return (0..<length).map { n in
      let t = Double(n) / sampleRate
      let envelope = min(1, Double(n) / attack) * exp(-t / 0.008)
      let tone = 0.65 * sin(2 * .pi * base * t) + 0.35 * sin(2 * .pi * base * 1.5 * t)
      return Float(level * envelope * tone)
    }
  }

  public static func sound(sampleRate: Double) -> ClickSound {
    ClickSound(
      name: "built-in",
      normal: Sample(woodblock(sampleRate: sampleRate, accent: false), sampleRate: sampleRate),
      accent: Sample(woodblock(sampleRate: sampleRate, accent: true), sampleRate: sampleRate))
  }
}
