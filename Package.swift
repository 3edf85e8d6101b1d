// swift-tools-version: 6.1
import PackageDescription

// The modules on the real-time path are optimized in every build: an unoptimized render loop
// misses its deadlines at small buffers and doubles the CPU cadence needs, so even a debug
// build (what `swift test` runs) plays as the release build does.
let realtimeOptimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "cadence",
  products: [
    .executable(name: "cadence", targets: ["cadence"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
  ],
  targets: [
    // C libraries from Debian's packages, wrapped as [system] modules.
    .systemLibrary(
      name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
    .systemLibrary(
      name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
    .systemLibrary(
      name: "CSampleRate", pkgConfig: "samplerate", providers: [.apt(["libsamplerate0-dev"])]),

    // glibc calls hidden behind _GNU_SOURCE (thread names, pipe2).
    .target(name: "CPosixShims"),
    // espeak-ng through dlopen, for spoken cues (--voice).
    .target(name: "CSpeech", linkerSettings: [.linkedLibrary("dl")]),
    // An MPRIS player on the session bus through libsystemd's sd-bus (headset buttons, media keys).
    .target(name: "CMPRIS", linkerSettings: [.linkedLibrary("systemd")]),
    // A logind inhibitor lock through sd-bus on the system bus (the laptop stays awake during a run).
    .target(name: "CLogind", linkerSettings: [.linkedLibrary("systemd")]),
    // Pure Swift, no I/O.
    .target(name: "CadenceCore", swiftSettings: realtimeOptimized),
    // Render state, voices, mixer, control queue; no threads, no ALSA.
    .target(name: "ClickEngine", dependencies: ["CadenceCore"], swiftSettings: realtimeOptimized),
    // The only importer of CALSA.
    .target(name: "ALSA", dependencies: ["CALSA"], swiftSettings: realtimeOptimized),
    // The only importer of CSndFile and CSampleRate: sound files in and out, resampling.
    .target(name: "AudioFile", dependencies: ["CSndFile", "CSampleRate"]),
    // Footfall detection and running cadence from a microphone signal (pure).
    .target(name: "Listening"),
    // Activity files from watches and apps: TCX, GPX, FIT.
    .target(name: "Activities", dependencies: ["CadenceCore"]),
    // Training history: GRDB over the system SQLite.
    .target(name: "History", dependencies: ["CadenceCore", .product(name: "GRDB", package: "GRDB.swift")]),
    // The real-time thread.
    .target(
      name: "Playback", dependencies: ["ALSA", "ClickEngine", "CPosixShims", "Listening"],
      swiftSettings: realtimeOptimized),
    // One run as it plays: timeline feed, keys, cues, tally, screen (play and session); the run
    // driver (the device opened and started the same way at the start and after a loss), the
    // microphone, the one wait over stop signals, keys and other descriptors, the run's clock.
    .target(
      name: "LiveRun",
      dependencies: ["CadenceCore", "ClickEngine", "ALSA", "Playback", "Listening", "CPosixShims", "Sensors"]),
    // MPRIS: the desktop's media controls and headset buttons drive a LiveRun.
    .target(name: "MediaControl", dependencies: ["CMPRIS", "LiveRun"]),
    // The machine kept awake while a run plays: logind's inhibitor, held as a descriptor.
    .target(name: "StayAwake", dependencies: ["CLogind"]),
    // Recording and reporting what a runner did: the ledger (returns what it stored and the plan
    // before and after), the plan report, the check-in's questions; typed CoachError.
    .target(name: "Coach", dependencies: ["CadenceCore", "History", "Activities"]),
    // Running sensors: the Bluetooth SIG's RSC and Treadmill Data packets, settled into a
    // cadence (pure); and BlueZ over sd-bus on the system bus (CBlueZ), never the playback thread.
    .target(name: "CBlueZ", linkerSettings: [.linkedLibrary("systemd")]),
    .target(name: "Sensors", dependencies: ["CadenceCore", "CBlueZ"]),
    // The runner's defaults: the config file.
    .target(name: "Settings", dependencies: ["CadenceCore"]),
    // Click sounds (built in, or the runner's files) and spoken cues.
    .target(name: "Sounds", dependencies: ["AudioFile", "ClickEngine", "CSpeech"]),
    .executableTarget(
      name: "cadence",
      dependencies: [
        "CadenceCore", "ClickEngine", "ALSA", "AudioFile", "Playback", "CPosixShims", "History", "CSpeech",
        "Activities", "LiveRun", "Coach", "Settings", "Sounds", "MediaControl", "StayAwake", "Sensors",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // Release-mode render benchmark: `swift run -c release cadence-bench`.
    .executableTarget(
      name: "cadence-bench", dependencies: ["CadenceCore", "ClickEngine", "AllocationCounter"],
      path: "Benchmarks/CadenceBench"),
    // Counts malloc calls made on a marked thread; linked into the tests and the benchmark.
    .target(name: "AllocationCounter", path: "Tests/AllocationCounter"),
    // AudioTestSupport: the seeded generator the fuzzed tests share.
    .testTarget(name: "CadenceCoreTests", dependencies: ["CadenceCore", "AudioTestSupport"]),
    .testTarget(
      name: "ClickEngineTests",
      dependencies: ["ClickEngine", "CadenceCore", "AudioFile", "AllocationCounter", "AudioTestSupport"]),
    .testTarget(name: "ALSATests", dependencies: ["ALSA"]),
    .testTarget(name: "HistoryTests", dependencies: ["History", "CadenceCore"]),
    // Files: real watch files from public test suites, read from the source tree.
    .testTarget(
      name: "ActivitiesTests", dependencies: ["Activities", "CadenceCore", "Coach", "History"], exclude: ["Files"]),
    // Onset finding shared by the audio tests.
    .target(name: "AudioTestSupport", dependencies: ["ClickEngine"], path: "Tests/Support/AudioTestSupport"),
    // Synthesized treadmill recordings with known footfalls, for the listening tests.
    .target(name: "TreadmillSimulator", dependencies: ["ClickEngine"], path: "Tests/Support/TreadmillSimulator"),
    .testTarget(name: "ListeningTests", dependencies: ["Listening", "ClickEngine", "TreadmillSimulator"]),
    .testTarget(
      name: "PlaybackTests",
      dependencies: ["AudioTestSupport", "Playback", "ALSA", "ClickEngine", "CadenceCore", "AllocationCounter"]),
    .testTarget(
      name: "LiveRunTests",
      dependencies: [
        "LiveRun", "ClickEngine", "CadenceCore", "AudioTestSupport", "Playback", "Listening", "TreadmillSimulator",
        "Sensors",
      ]),
    .testTarget(name: "CoachTests", dependencies: ["Coach", "History", "CadenceCore"]),
    .testTarget(name: "SensorsTests", dependencies: ["Sensors", "CadenceCore"]),
    .testTarget(
      name: "CLITests",
      dependencies: [
        "cadence", "AudioFile", "ClickEngine", "CadenceCore", "TreadmillSimulator", "AudioTestSupport", "History",
        "Coach", "Settings", "Sounds", .product(name: "GRDB", package: "GRDB.swift"),
      ]),
  ],
  swiftLanguageModes: [.v6]
)
