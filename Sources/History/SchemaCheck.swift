import GRDB

/// Whether a history's tables are what its record of updates (`grdb_migrations`) says they
/// should be. A file whose record lacks an update its tables already have would make the next
/// update fail half-way ("table runCadence already exists"), and one whose record claims an
/// update its tables lack fails on the first read; both are refused before anything writes.
enum SchemaCheck {
  /// Each table's columns after the first n migrations (index n), from cadence's own
  /// migrations run on an empty in-memory database. Tables and columns other than cadence's
  /// are never looked at.
  static let expected: [[String: Set<String>]] = {
    var schemas: [[String: Set<String>]] = [[:]]
    do {
      let queue = try DatabaseQueue()
      for identifier in AppDatabase.migrator.migrations {
        try AppDatabase.migrator.migrate(queue, upTo: identifier)
        schemas.append(try queue.read(columns))
      }
    } catch {
      preconditionFailure("cadence's own migrations failed on an empty in-memory database: \(error)")
    }
    return schemas
  }()

  /// What each migration adds: tables it creates, and columns (cadence's migrations only add).
  static let added: [(update: String, tables: Set<String>, columns: [String: Set<String>])] = {
    let known = AppDatabase.migrator.migrations
    return known.indices.map { index in
      let before = expected[index]
      let after = expected[index + 1]
      var columns: [String: Set<String>] = [:]
      for (table, names) in after {
        let new = names.subtracting(before[table] ?? [])
        if !new.isEmpty { columns[table] = new }
      }
      return (known[index], Set(after.keys).subtracting(before.keys), columns)
    }
  }()

  /// The first way the tables disagree with the record of updates, in words; nil when they
  /// agree. The tables hold what the recorded updates add, and nothing an unrecorded one adds;
  /// an unrecorded update that adds nothing (v4, v5) is simply run again.
  static func finding(_ db: Database) throws -> String? {
    let applied = try AppDatabase.migrator.appliedIdentifiers(db)
    let have = try columns(db)
    var unrecorded: String?
    for (update, tables, columns) in added {
      for table in columns.keys.sorted() {
        let names = columns[table] ?? []
        if applied.contains(update) {
          guard let present = have[table] else { return "the table '\(table)' is missing" }
          if let column = names.subtracting(present).sorted().first {
            return "the table '\(table)' lacks its column '\(column)'"
          }
        } else if unrecorded == nil, let present = have[table] {
          if tables.contains(table) {
            unrecorded = "the table '\(table)' exists though the update that adds it ('\(update)') is not recorded"
          } else if let column = names.intersection(present).sorted().first {
            unrecorded =
              "the column '\(table).\(column)' exists though the update that adds it ('\(update)') is not recorded"
          }
        }
      }
    }
    return unrecorded
  }

  /// Every table's column names (SQLite's own tables and GRDB's record left out).
  private static func columns(_ db: Database) throws -> [String: Set<String>] {
    let tables = try String.fetchAll(
      db,
      sql:
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'"
    )
    var result: [String: Set<String>] = [:]
    for table in tables {
      result[table] = Set(try db.columns(in: table).map(\.name))
    }
    return result
  }
}
