import ArgumentParser
import CadenceCore
import Coach
import Foundation
import History

/// `cadence shoes`: the pairs runs are stored with, and the distance on each.
struct Shoes: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "shoes",
    abstract: "Your running shoes: the distance on each pair, and which one runs are stored with.",
    discussion: """
      Each run is stored with the default pair (the first one added, or cadence shoes default \
      NAME), and its distance counts on it. The articles advise replacing running shoes every \
      300-500 miles (about 480-800 km): from 480 km the list says so, and so does the run that \
      takes a pair past it.
      """,
    subcommands: [List.self, Add.self, Default.self, Retire.self],
    defaultSubcommand: List.self)

  /// A pair's name: what the runner calls it, on one line.
  static func validName(_ name: String) throws {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.count <= 60, !trimmed.contains(where: \.isNewline) else {
      throw ValidationError("a pair's name is 1 to 60 characters on one line, like \"Pegasus 40\"; got '\(name)'")
    }
  }

  struct List: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List your shoes and the distance on each.")

    @Flag(help: "Print the shoes as JSON (for scripts).")
    var json = false

    @OptionGroup var storage: StorageOptions

    struct Pair: Encodable {
      var name: String
      var km: Double
      var added: String
      var retired: String?
      var isDefault: Bool
      var replace: Bool
    }

    func run(in context: CommandContext) throws {
      let shoes = try storage.openIfExists(context).map { (db) throws in try db.shoes() } ?? []
      let limit = Training.shoeReplaceKm.lowerBound * 1000
      if json {
        context.say(
          Coach.json(
            shoes.map {
              Pair(
                name: $0.shoe.name, km: ($0.meters / 10).rounded() / 100, added: dayString($0.shoe.addedAt),
                retired: $0.shoe.retiredAt.map(dayString), isDefault: $0.shoe.isDefault, replace: $0.meters >= limit)
            }))
        return
      }
      guard !shoes.isEmpty else {
        context.say("No shoes yet. Add the pair you run in: cadence shoes add NAME (--km for what it has run already)")
        return
      }
      let units = try context.config().units
      for (shoe, meters) in shoes {
        var line = "\(shoe.isDefault ? "*" : " ") \(shoe.name)  \(units.distance(meters: meters, digits: 0))"
        line += "  since \(dayString(shoe.addedAt))"
        if let retired = shoe.retiredAt { line += ", retired \(dayString(retired))" }
        context.say(line)
      }
      context.say("(* the pair runs are stored with)")
      for (shoe, meters) in shoes where shoe.retiredAt == nil && meters >= limit {
        context.say(ShoeWords.notice(shoe.name, meters: meters))
      }
    }
  }

  struct Add: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "add", abstract: "Add a pair of shoes; the first (or --default) is the one runs are stored with.")

    @Argument(help: ArgumentHelp("What you call the pair, like \"Pegasus 40\".", valueName: "name"))
    var name: String

    @Option(
      help: ArgumentHelp("The distance it has run already, like 120km or 75mi (default 0).", valueName: "distance"))
    var km: String?

    @Flag(help: "Store runs with this pair from now on.")
    var `default` = false

    @OptionGroup var storage: StorageOptions

    func validate() throws {
      try Shoes.validName(name)
      if let km, parseDistanceMeters(km, upTo: 5_000_000) == nil {
        throw ValidationError("--km must be a distance of more than 0 up to 5000 km, like 120km or 75mi; got '\(km)'")
      }
    }

    func run(in context: CommandContext) throws {
      let db = try storage.open(context)
      let name = name.trimmingCharacters(in: .whitespaces)
      let start = km.flatMap { parseDistanceMeters($0, upTo: 5_000_000) } ?? 0
      guard
        let shoe = try db.addShoe(
          ShoeRecord(name: name, addedAt: context.now, startMeters: start), makeDefault: self.default)
      else {
        throw UserError(
          message: "there is a pair called '\(name)' already",
          hint: "cadence shoes lists them; give the new one another name",
          code: .usage)
      }
      context.say(
        "Added '\(shoe.name)'" + (start > 0 ? " with \(try context.config().units.distance(meters: start)) on it" : "")
          + (shoe.isDefault
            ? "; runs are stored with it from now on." : "; cadence shoes default '\(shoe.name)' to run in it."))
    }
  }

  struct Default: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "default", abstract: "Store runs with this pair from now on.")

    @Argument(help: ArgumentHelp("The pair's name, as cadence shoes lists it.", valueName: "name"))
    var name: String

    @OptionGroup var storage: StorageOptions

    func run(in context: CommandContext) throws {
      guard let db = try storage.openExisting(context), let shoe = try db.makeDefaultShoe(name) else {
        throw UserError(
          message: "there is no pair called '\(name)' in use", hint: "cadence shoes lists them; cadence shoes add NAME",
          code: .usage)
      }
      context.say("Runs are stored with '\(shoe.name)' from now on.")
    }
  }

  struct Retire: ContextCommand {
    static let configuration = CommandConfiguration(
      commandName: "retire", abstract: "Retire a pair: runs are no longer stored with it; its distance stays.")

    @Argument(help: ArgumentHelp("The pair's name, as cadence shoes lists it.", valueName: "name"))
    var name: String

    @OptionGroup var storage: StorageOptions

    func run(in context: CommandContext) throws {
      guard let db = try storage.openExisting(context), let shoe = try db.retireShoe(name, at: context.now) else {
        throw UserError(
          message: "there is no pair called '\(name)' in use", hint: "cadence shoes lists them", code: .usage)
      }
      if let current = try db.defaultShoe() {
        context.say("Retired '\(shoe.name)'. Runs are stored with '\(current.name)'.")
      } else {
        context.say(
          "Retired '\(shoe.name)'. Runs are stored with no pair until you add one or choose one: cadence shoes default NAME"
        )
      }
    }
  }
}
