/// Block letters for the full-screen view: each glyph 3 cells wide and 5 rows tall, a cell two
/// columns of "█" (as tty-clock draws its digits), glyphs two columns apart. Five rows of a
/// 14-inch laptop's terminal are about 15 mm, readable from 1.5 m (ISO 9241-3 asks for about
/// 7 mm there); a single terminal row is about 3 mm.
enum BigText {
  static let rows = 5
  static let gap = 2

  /// Each glyph's rows as cells ("#" lit); ":" and "." are one cell wide.
  static let glyphs: [Character: [String]] = [
    "0": ["###", "# #", "# #", "# #", "###"],
    "1": [" # ", "## ", " # ", " # ", "###"],
    "2": ["###", "  #", "###", "#  ", "###"],
    "3": ["###", "  #", "###", "  #", "###"],
    "4": ["# #", "# #", "###", "  #", "  #"],
    "5": ["###", "#  ", "###", "  #", "###"],
    "6": ["###", "#  ", "###", "# #", "###"],
    "7": ["###", "  #", "  #", "  #", "  #"],
    "8": ["###", "# #", "###", "# #", "###"],
    "9": ["###", "# #", "###", "  #", "###"],
    ":": [" ", "#", " ", "#", " "],
    ".": [" ", " ", " ", " ", "#"],
    "-": ["   ", "   ", "###", "   ", "   "],
    " ": ["   ", "   ", "   ", "   ", "   "],
    "A": ["###", "# #", "###", "# #", "# #"],
    "B": ["## ", "# #", "## ", "# #", "## "],
    "C": ["###", "#  ", "#  ", "#  ", "###"],
    "D": ["## ", "# #", "# #", "# #", "## "],
    "E": ["###", "#  ", "###", "#  ", "###"],
    "K": ["# #", "# #", "## ", "# #", "# #"],
    "L": ["#  ", "#  ", "#  ", "#  ", "###"],
    "M": ["# #", "###", "###", "# #", "# #"],
    "N": ["# #", "###", "###", "###", "# #"],
    "O": ["###", "# #", "# #", "# #", "###"],
    "P": ["###", "# #", "###", "#  ", "#  "],
    "R": ["## ", "# #", "## ", "# #", "# #"],
    "S": ["###", "#  ", "###", "  #", "###"],
    "U": ["# #", "# #", "# #", "# #", "###"],
    "W": ["# #", "# #", "###", "###", "# #"],
    "Y": ["# #", "# #", "###", " # ", " # "],
  ]

  /// Columns `text` takes in block letters.
  static func width(_ text: String) -> Int {
    let cells = text.map { glyphs[$0]?.first?.count ?? 3 }
    return cells.reduce(0) { $0 + 2 * $1 } + max(0, cells.count - 1) * gap
  }

  /// `text` in block letters: five lines of equal width (unknown characters are blank).
  static func render(_ text: String) -> [String] {
    var lines = [String](repeating: "", count: rows)
    for (index, character) in text.enumerated() {
      let glyph = glyphs[character] ?? glyphs[" "] ?? []
      for row in 0..<rows {
        if index > 0 { lines[row] += String(repeating: " ", count: gap) }
        let cells = row < glyph.count ? glyph[row] : "   "
        for cell in cells { lines[row] += cell == "#" ? "██" : "  " }
      }
    }
    return lines
  }
}

/// What the full-screen view shows at one moment; `BigScreen.frame` lays it out.
struct BigScreenState {
  /// "CADENCE BLOCK", "WARM-UP", "PLAYING".
  var phase: String
  /// The phase in one short word for block letters: "WARM", "BLOCK", "COOL", "PLAY".
  var phaseWord: String
  /// The target cadence ("170"), or nil where the phase plays no click.
  var target: String?
  /// The cadence heard or sensed, and a word on it with where it came from ("heard: on the
  /// beat", "sensed: low: quicker steps").
  var heard: (spm: String, word: String)?
  /// The click sounded within the last moments (the beat mark is lit).
  var onBeat: Bool
  var paused: Bool
  var soundLost: Bool
  /// "12:30": the time left in the phase (or played, for an open-ended run), and its label.
  var time: String
  var timeLabel: String
  /// 0...1 of the whole run, or nil for an open-ended one.
  var progress: Double?
  var cue: String?
  var keys: [Field]
}

/// The full-screen view: the target cadence and the cadence heard in block digits, the beat
/// mark, the time left in the phase in block digits, a progress bar, the cue and the keys.
/// Every line leaves the terminal's last column empty, so nothing wraps or scrolls.
public enum BigScreen {
  /// The least the view needs; below it the line view is drawn.
  public static let minimumColumns = 64
  public static let minimumRows = 18

  /// The screen's rows, each exactly `columns - 1` wide; nil where the terminal is too small.
  static func frame(_ state: BigScreenState, columns: Int, rows: Int) -> [String]? {
    guard columns >= minimumColumns, rows >= minimumRows else { return nil }
    let width = columns - 1
    var lines: [String] = []
    func add(_ text: String) { lines.append(pad(" " + text, width)) }

    add(state.paused ? "\(state.phase) · PAUSED · space resumes" : state.phase)
    add("")
    // Row block 1: the target (or PAUSED / NO SOUND), the beat mark, the cadence heard.
    let headline: [String]
    var labels = ""
    if state.soundLost || state.paused {
      headline = BigText.render(state.soundLost ? "NO SOUND" : "PAUSED")
    } else {
      let target = BigText.render(state.target ?? "-")
      let mark = (0..<BigText.rows).map { _ in state.onBeat ? "██████" : "      " }
      var block = zip(target, mark).map { $0 + "    " + $1 }
      labels = pad(state.target == nil ? "no click" : "spm target", BigText.width(state.target ?? "-") + 4 + 6)
      if let heard = state.heard {
        let digits = BigText.render(heard.spm)
        block = zip(block, digits).map { $0 + "    " + $1 }
        labels += "    \(heard.word)"
      }
      headline = block
    }
    for line in headline { add(line) }
    add(labels)
    add("")
    // Row block 2: the time and the phase in block letters (the phase where it fits beside
    // the time), their words below.
    let time = BigText.render(state.time)
    let besideTime = 1 + BigText.width(state.time) + 6 + BigText.width(state.phaseWord) <= width
    let phase = BigText.render(state.phaseWord)
    for (index, line) in time.enumerated() {
      add(besideTime ? line + "      " + phase[index] : line)
    }
    add(pad(state.timeLabel, BigText.width(state.time) + 6) + (besideTime ? state.phase.lowercased() : ""))
    if let progress = state.progress {
      let room = max(0, width - 3)
      let filled = Int((Double(room) * min(1, max(0, progress))).rounded(.down))
      add("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: room - filled) + "]")
    } else {
      add("")
    }
    // The cue, wrapped over the rows left above the keys (cut only where it still does not fit).
    if let cue = state.cue {
      let room = rows - 1 - lines.count
      let wrapped = wrap("cue: " + cue, width: width - 1)
      for (index, line) in wrapped.prefix(room).enumerated() {
        add(index == room - 1 && wrapped.count > room ? Field.cut(line + " …", to: width - 1) : line)
      }
    }
    // Blank rows down to the keys on the last row.
    while lines.count < rows - 1 { add("") }
    add("keys: " + Field.fit(state.keys, width: width - 7))
    return lines
  }

  /// `text` in lines of at most `width` columns, broken at spaces (a word longer than a line is
  /// cut).
  static func wrap(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      let candidate = line.isEmpty ? String(word) : line + " " + word
      if Field.columns(candidate) <= width {
        line = candidate
      } else {
        if !line.isEmpty { lines.append(line) }
        line = Field.cut(String(word), to: width)
      }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }

  /// `text` cut or padded with spaces to exactly `width` columns.
  static func pad(_ text: String, _ width: Int) -> String {
    let cut = Field.cut(text, to: width)
    return cut + String(repeating: " ", count: max(0, width - Field.columns(cut)))
  }
}
