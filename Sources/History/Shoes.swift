import Foundation
import GRDB

/// A pair of running shoes (`cadence shoes`): its name, when it was added, the distance it had
/// run before cadence knew it, whether runs are stored with it, and when it was retired.
public struct ShoeRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
  public static let databaseTableName = "shoe"
  public var id: Int64?
  public var name: String
  public var addedAt: Date
  public var startMeters: Double
  public var retiredAt: Date?
  public var isDefault: Bool

  public init(name: String, addedAt: Date, startMeters: Double = 0, isDefault: Bool = false) {
    self.name = name
    self.addedAt = addedAt
    self.startMeters = startMeters
    retiredAt = nil
    self.isDefault = isDefault
  }

  public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension AppDatabase {
  /// Every pair, oldest first, with the distance run in it (its start plus its runs').
  public func shoes() throws(HistoryError) -> [(shoe: ShoeRecord, meters: Double)] {
    try read { db in
      let shoes = try ShoeRecord.order(Column("addedAt"), Column("id")).readable(db)
      let sums = try Row.fetchAll(
        db,
        sql: "SELECT shoeId, SUM(distanceMeters) AS meters FROM run WHERE shoeId IS NOT NULL GROUP BY shoeId")
      var meters: [Int64: Double] = [:]
      for row in sums {
        if let id = row["shoeId"] as Int64?, let sum = row["meters"] as Double?, sum.isFinite { meters[id] = sum }
      }
      return shoes.map { ($0, $0.startMeters + ($0.id.flatMap { meters[$0] } ?? 0)) }
    }
  }

  /// The pair runs are stored with now, if there is one.
  public func defaultShoe() throws(HistoryError) -> ShoeRecord? {
    try read { try ShoeRecord.filter(Column("isDefault") == true && Column("retiredAt") == nil).fetchOne($0) }
  }

  /// Adds a pair; the first one (or one asked to be) becomes the default. Nil where a pair of
  /// that name (in any case) is already there.
  public func addShoe(_ shoe: ShoeRecord, makeDefault: Bool) throws(HistoryError) -> ShoeRecord? {
    try write { db in
      guard try ShoeRecord.filter(sql: "name = ? COLLATE NOCASE", arguments: [shoe.name]).fetchCount(db) == 0 else {
        return nil
      }
      var shoe = shoe
      let first = try ShoeRecord.filter(Column("retiredAt") == nil).fetchCount(db) == 0
      shoe.isDefault = makeDefault || first
      if shoe.isDefault { try db.execute(sql: "UPDATE shoe SET isDefault = 0") }
      try shoe.insert(db)
      return shoe
    }
  }

  /// Makes the pair named `name` (in any case, not retired) the default; nil where there is none.
  public func makeDefaultShoe(_ name: String) throws(HistoryError) -> ShoeRecord? {
    try write { db in
      guard
        var shoe = try ShoeRecord.filter(sql: "name = ? COLLATE NOCASE AND retiredAt IS NULL", arguments: [name])
          .fetchOne(db)
      else { return nil }
      try db.execute(sql: "UPDATE shoe SET isDefault = 0")
      shoe.isDefault = true
      try shoe.update(db)
      return shoe
    }
  }

  /// Retires the pair named `name` at `date`: runs are no longer stored with it. Nil where
  /// there is no such pair still in use.
  public func retireShoe(_ name: String, at date: Date) throws(HistoryError) -> ShoeRecord? {
    try write { db in
      guard
        var shoe = try ShoeRecord.filter(sql: "name = ? COLLATE NOCASE AND retiredAt IS NULL", arguments: [name])
          .fetchOne(db)
      else { return nil }
      shoe.retiredAt = date
      shoe.isDefault = false
      try shoe.update(db)
      return shoe
    }
  }
}
