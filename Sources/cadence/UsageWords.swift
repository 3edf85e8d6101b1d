import ArgumentParser

/// Words for the usage mistakes ArgumentParser cannot word for a runner: a misspelt command,
/// a cadence given the other way round, a negative number read as an option.
enum UsageWords {
  /// A runner's own words for `arguments`' mistake, found before parsing; nil when there is
  /// none to add.
  /// [product choice] The most arguments read at once. The argument parser's time grows with
  /// the square of their number (20,000 warning signs took 10 s); 4,096 take under half a
  /// second, and more watch files than that go in batches.
  static let maximumArguments = 4096

  static func mistake(in arguments: [String]) -> UserError? {
    if arguments.count > maximumArguments {
      let command = arguments.first ?? ""
      return UserError(
        message: "\(arguments.count) arguments are more than cadence reads at once (\(maximumArguments))",
        hint: command == "import"
          ? "import the files in batches: find FOLDER -name '*.fit' -print0 | xargs -0 -n 1000 cadence import"
          : "cadence \(command.hasPrefix("-") ? "" : command + " ")--help", code: .usage)
    }
    guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
    // A closure, not a key path: a key path through the metatype crashes the 6.3 compiler.
    let commands = CadenceCommand.configuration.subcommands.compactMap { $0.configuration.commandName }
    guard commands.contains(first) || first == "help" else {
      let near = commands.filter { distance($0, first) <= 2 }.sorted { distance($0, first) < distance($1, first) }
      return UserError(
        message: "unknown command '\(first)'" + (near.first.map { "; did you mean '\($0)'?" } ?? ""),
        hint: "cadence --help lists the commands (\(commands.joined(separator: ", ")))", code: .usage)
    }
    if first == "play", arguments.contains(where: { $0 == "--cadence" || $0.hasPrefix("--cadence=") }) {
      return UserError(
        message: "play takes the cadence as a number, like cadence play 170 (not --cadence)",
        hint: "cadence play --help", code: .usage)
    }
    if first == "session", arguments.count > 1, Double(arguments[1]) != nil {
      let number = arguments[1]
      return UserError(
        message: "session takes its cadence as --cadence \(number) (by default your plan's current rung)",
        hint: "cadence session --cadence \(number)", code: .usage)
    }
    return nil
  }

  /// `--minutes -5` as `--minutes=-5`: ArgumentParser reads a value that starts with "-" as an
  /// option and says the value is missing; joined, the option's own check says what is wrong.
  static func joiningNegativeValues(_ arguments: [String]) -> [String] {
    var out: [String] = []
    var index = arguments.startIndex
    while index < arguments.endIndex {
      let argument = arguments[index]
      let next = index + 1 < arguments.endIndex ? arguments[index + 1] : nil
      if argument.hasPrefix("--"), !argument.contains("="), let next, isNegativeNumber(next) {
        out.append(argument + "=" + next)
        index += 2
      } else {
        out.append(argument)
        index += 1
      }
    }
    return out
  }

  private static func isNegativeNumber(_ text: String) -> Bool {
    text.hasPrefix("-") && Double(text) != nil
  }

  /// Edit distance (insertions, deletions, substitutions and swaps of neighbours), for
  /// did-you-mean; bounded by the short names it compares.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a.prefix(64)), b = Array(b.prefix(64))
    var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { rows[i][0] = i }
    for j in 0...b.count { rows[0][j] = j }
    for i in stride(from: 1, through: a.count, by: 1) {
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
        }
      }
    }
    return rows[a.count][b.count]
  }
}
