import Synchronization

/// The number of client connections open now, shared by every connection of one
/// server so that one over ``ConnectionLimits/maxConnections`` can be refused.
final class ConnectionCount: Sendable {
    private let open = Atomic<Int>(0)

    /// Creates a count at zero.
    init() {}

    /// Counts a connection in and says how many are open with it.
    func opened() -> Int {
        open.add(1, ordering: .relaxed).newValue
    }

    /// Counts a connection out.
    func closed() {
        open.subtract(1, ordering: .relaxed)
    }
}
