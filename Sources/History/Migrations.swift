import GRDB

extension AppDatabase {
  /// Named migrations; never edit one once released, add another.
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-plans-and-runs") { db in
      try db.create(table: "plan") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("createdAt", .datetime).notNull()
        t.column("startSPM", .double).notNull()
        t.column("goalSPM", .double).notNull()
        t.column("stepSPM", .double).notNull()
        t.column("holdDays", .integer).notNull()
        t.column("holdRuns", .integer).notNull()
        t.column("baselinePain", .integer).notNull()
        t.column("speedMetersPerSecond", .double)
        t.column("active", .boolean).notNull()
      }
      try db.create(table: "run") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("date", .datetime).notNull().indexed()
        t.column("source", .text).notNull()
        t.column("targetSPM", .double)
        t.column("measuredSPM", .double)
        t.column("durationSeconds", .double)
        t.column("distanceMeters", .double)
        t.column("speedMetersPerSecond", .double)
        t.column("completedAtTarget", .boolean).notNull()
        t.column("effort", .integer)
        t.column("backPain", .integer)
        t.column("warningSigns", .text).notNull().defaults(to: "")
        t.column("notes", .text)
      }
    }
    migrator.registerMigration("v2-measurements-events-interrupted") { db in
      try db.create(table: "measurement") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("date", .datetime).notNull().indexed()
        t.column("spm", .double).notNull()
        t.column("method", .text).notNull()
        t.column("details", .text)
      }
      try db.create(table: "planEvent") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("planId", .integer).notNull().references("plan", onDelete: .cascade)
        t.column("date", .datetime).notNull()
        t.column("kind", .text).notNull()
      }
      try db.alter(table: "run") { t in
        t.add(column: "interrupted", .boolean).notNull().defaults(to: false)
      }
    }
    migrator.registerMigration("v3-heard-cadence-per-minute") { db in
      try db.create(table: "runCadence") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("runId", .integer).notNull().indexed().references("run", onDelete: .cascade)
        t.column("minute", .integer).notNull()
        t.column("spm", .double).notNull()
      }
    }
    // Rows of source "report" (a warning sign reported on its own) exist from here on: the
    // migration changes no table, but an older cadence now refuses the file as newer instead
    // of failing on a row it cannot read.
    migrator.registerMigration("v4-warning-reports") { _ in }
    // Runs of source "import" (a watch file's run) exist from here on; as for v4, no table
    // changes, but an older cadence refuses the file instead of failing on a row.
    migrator.registerMigration("v5-imported-runs") { _ in }
    // The footfalls' timing against the click in each minute heard (session --listen).
    migrator.registerMigration("v6-footfall-timing") { db in
      try db.alter(table: "runCadence") { t in
        t.add(column: "offsetMs", .double)
        t.add(column: "spreadMs", .double)
      }
    }
    // Time paused during a played run, kept apart from the time run.
    migrator.registerMigration("v7-paused-time") { db in
      try db.alter(table: "run") { t in t.add(column: "pausedSeconds", .double) }
    }
    // Each minute's cadence from a foot pod as well as the microphone: where it came from, and
    // the pod's speed.
    migrator.registerMigration("v8-sensed-minutes") { db in
      try db.alter(table: "runCadence") { t in
        t.add(column: "source", .text)
        t.add(column: "metersPerSecond", .double)
      }
    }
    // The distance a treadmill's belt ran in each minute (Treadmill Data, with --sensor).
    migrator.registerMigration("v9-belt-distance") { db in
      try db.alter(table: "runCadence") { t in t.add(column: "meters", .double) }
    }
    // Running shoes: each pair, the distance it had before cadence knew it, the default pair a
    // run is stored with, and each run's pair.
    migrator.registerMigration("v10-shoes") { db in
      try db.create(table: "shoe") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("name", .text).notNull().unique(onConflict: .abort).collate(.nocase)
        t.column("addedAt", .datetime).notNull()
        t.column("startMeters", .double).notNull().defaults(to: 0)
        t.column("retiredAt", .datetime)
        t.column("isDefault", .boolean).notNull().defaults(to: false)
      }
      try db.alter(table: "run") { t in
        t.add(column: "shoeId", .integer).references("shoe", onDelete: .setNull)
      }
    }
    return migrator
  }
}
