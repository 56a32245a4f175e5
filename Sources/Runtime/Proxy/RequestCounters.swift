import Synchronization

/// Counts finished requests per model and status code, for `/metrics`.
public final class RequestCounters: Sendable {
    private let counts = Mutex<[String: [Int: Int]]>([:])

    /// Creates empty counters.
    public init() {}

    /// Records one finished request.
    public func record(model: String, status: Int) {
        counts.withLock { $0[model, default: [:]][status, default: 0] += 1 }
    }

    /// Model → status → count.
    public var snapshot: [String: [Int: Int]] { counts.withLock { $0 } }
}
