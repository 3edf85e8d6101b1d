import CadenceCore
import Foundation
import History

/// Cadence per run (measured where known, else the target) against the plan's rungs.
public struct HistoryChart {
  let runs: [RunRecord]
  let rungs: [Double]

  public init(runs: [RunRecord], rungs: [Double]) {
    self.runs = runs
    self.rungs = rungs
  }

  struct Point {
    var date: Date
    var spm: Double
    var measured: Bool
  }

  var points: [Point] {
    runs.compactMap { r in
      if let m = r.measuredSPM { return Point(date: r.date, spm: m, measured: true) }
      return r.targetSPM.map { Point(date: r.date, spm: $0, measured: false) }
    }
  }

  /// The spm range shown: the points, the rungs and a little room, in whole 5s.
  var range: ClosedRange<Double> {
    let values = points.map(\.spm) + rungs
    let low = ((values.min() ?? 160) - 2) / 5
    let high = ((values.max() ?? 180) + 2) / 5
    return (low.rounded(.down) * 5)...(high.rounded(.up) * 5)
  }

  /// A terminal chart: one column per run (the last 60), one row per 2.5 spm (5 for wide ranges).
  public func text() -> String {
    let shown = Array(points.suffix(60))
    guard !shown.isEmpty else { return "(no cadence to chart yet)" }
    let r = range
    let step = r.upperBound - r.lowerBound <= 40 ? 2.5 : 5
    let height = Int((r.upperBound - r.lowerBound) / step) + 1
    func row(of spm: Double) -> Int { Int(((r.upperBound - spm) / step).rounded()) }
    var grid = [[Character]](repeating: [Character](repeating: " ", count: shown.count), count: height)
    for spm in rungs { let y = row(of: spm); for x in 0..<shown.count { grid[y][x] = "·" } }
    for (x, p) in shown.enumerated() { grid[row(of: p.spm)][x] = p.measured ? "●" : "○" }
    var lines: [String] = ["cadence per run (● measured, ○ target; dots: plan rungs)"]
    for y in 0..<height {
      let label = Cadence.format(r.upperBound - Double(y) * step)
      lines.append(label.padding(toLength: 6, withPad: " ", startingAt: 0) + "│" + String(grid[y]))
    }
    lines.append("      └" + String(repeating: "─", count: shown.count))
    if let first = shown.first, let last = shown.last {
      lines.append("       \(dayString(first.date)) .. \(dayString(last.date))")
    }
    return lines.joined(separator: "\n")
  }

  /// An SVG chart: the 170-190 band shaded, the rungs as dashed lines, runs as dots on a line.
  public func svg(width: Double = 800, height: Double = 400) -> String {
    let left = 60.0, right = 20.0, top = 40.0, bottom = 50.0
    let plotW = width - left - right, plotH = height - top - bottom
    let r = range
    func y(_ spm: Double) -> Double { top + (r.upperBound - spm) / (r.upperBound - r.lowerBound) * plotH }
    let pts = points
    let t0 = pts.first?.date.timeIntervalSince1970 ?? 0
    let t1 = max(pts.last?.date.timeIntervalSince1970 ?? 1, t0 + 86_400)
    func x(_ d: Date) -> Double { left + (d.timeIntervalSince1970 - t0) / (t1 - t0) * plotW }
    func f(_ v: Double) -> String { format(v, 1) }
    var s: [String] = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
      "<text x=\"\(f(left))\" y=\"24\" font-size=\"16\" font-weight=\"bold\">Cadence per run</text>",
    ]
    let bandLow = max(Cadence.goalBand.lowerBound, r.lowerBound),
      bandHigh = min(Cadence.goalBand.upperBound, r.upperBound)
    if bandLow < bandHigh {
      s.append(
        "<rect x=\"\(f(left))\" y=\"\(f(y(bandHigh)))\" width=\"\(f(plotW))\" height=\"\(f(y(bandLow) - y(bandHigh)))\" fill=\"#e3f4e3\"/>"
      )
      s.append(
        "<text x=\"\(f(left + plotW - 4))\" y=\"\(f(y(bandLow) - 4))\" text-anchor=\"end\" fill=\"#3a7d3a\">170-190 spm goal band</text>"
      )
    }
    var tick = r.lowerBound
    while tick <= r.upperBound {
      s.append(
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" stroke=\"#eee\"/>")
      s.append("<text x=\"\(f(left - 8))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(format(tick, 0))</text>")
      tick += 5
    }
    for spm in rungs {
      s.append(
        "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(spm)))\" y2=\"\(f(y(spm)))\" stroke=\"#d08020\" stroke-dasharray=\"6 4\"/>"
      )
      s.append("<text x=\"\(f(left + 4))\" y=\"\(f(y(spm) - 4))\" fill=\"#d08020\">rung \(Cadence.format(spm))</text>")
    }
    s.append("<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>")
    s.append(
      "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>"
    )
    s.append(
      "<text x=\"16\" y=\"\(f(top + plotH / 2))\" transform=\"rotate(-90 16 \(f(top + plotH / 2)))\" text-anchor=\"middle\">steps per minute</text>"
    )
    if let first = pts.first, let last = pts.last {
      s.append("<text x=\"\(f(left))\" y=\"\(f(top + plotH + 20))\">\(dayString(first.date))</text>")
      s.append(
        "<text x=\"\(f(left + plotW))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"end\">\(dayString(last.date))</text>"
      )
      let path = pts.map { "\(f(x($0.date))),\(f(y($0.spm)))" }.joined(separator: " ")
      s.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"#2060c0\" stroke-width=\"2\"/>")
      for p in pts {
        let fill = p.measured ? "#2060c0" : "white"
        s.append(
          "<circle cx=\"\(f(x(p.date)))\" cy=\"\(f(y(p.spm)))\" r=\"4\" fill=\"\(fill)\" stroke=\"#2060c0\" stroke-width=\"2\"/>"
        )
      }
      s.append(
        "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">filled: measured cadence; open: the click's cadence</text>"
      )
    } else {
      s.append(
        "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\">no runs yet</text>")
    }
    s.append("</svg>")
    return s.joined(separator: "\n") + "\n"
  }
}
