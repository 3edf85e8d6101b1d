import ClickEngine

/// A click whose first frame is its loudest, so an onset is the first non-zero frame after
/// silence; accents are negative so they can be told apart.
public func impulseSound(rate: Double = 48_000) -> ClickSound {
  ClickSound(
    name: "impulse",
    normal: Sample([0.5, 0.25, 0.125], sampleRate: rate),
    accent: Sample([-0.9, -0.45], sampleRate: rate))
}
