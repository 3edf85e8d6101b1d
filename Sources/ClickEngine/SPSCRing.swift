import Synchronization

/// A fixed-capacity, lock-free, single-producer/single-consumer queue of plain values.
///
/// This is how control reaches the render thread and how the render thread reports back:
/// `push` and `pop` never allocate, lock or block. Exactly one thread may push and exactly
/// one (other) thread may pop; the storage is allocated once, in `init`.
public final class SPSCRing<Element: BitwiseCopyable>: @unchecked Sendable {
  private let storage: UnsafeMutablePointer<Element>
  private let mask: Int
  /// Next slot to read; written by the consumer only.
  private let head = Atomic<Int>(0)
  /// Next slot to write; written by the producer only.
  private let tail = Atomic<Int>(0)

  /// `capacity` is rounded up to a power of two.
  public init(capacity: Int) {
    precondition(capacity > 0)
    var size = 1
    while size < capacity { size <<= 1 }
    storage = .allocate(capacity: size)
    mask = size - 1
  }

  deinit { storage.deallocate() }

  public var capacity: Int { mask + 1 }

  /// Producer side. Returns false (and drops `element`) when the ring is full.
  @discardableResult
  public func push(_ element: Element) -> Bool {
    let t = tail.load(ordering: .relaxed)
    if t - head.load(ordering: .acquiring) > mask { return false }
    (storage + (t & mask)).initialize(to: element)
    tail.store(t + 1, ordering: .releasing)
    return true
  }

  /// Consumer side: the oldest element without removing it.
  public func peek() -> Element? {
    let h = head.load(ordering: .relaxed)
    if h == tail.load(ordering: .acquiring) { return nil }
    return storage[h & mask]
  }

  /// Consumer side: removes and returns the oldest element.
  public func pop() -> Element? {
    let h = head.load(ordering: .relaxed)
    if h == tail.load(ordering: .acquiring) { return nil }
    let element = storage[h & mask]
    head.store(h + 1, ordering: .releasing)
    return element
  }
}
