import Synchronization

/// Counts finished requests per model and status code, and those the server's fast
/// path answered, for `/metrics`.
public final class RequestCounters: Sendable {
    private let counts = Mutex<[String: [Int: Int]]>([:])
    private let fastPath = Atomic<Int>(0)

    /// Creates empty counters.
    public init() {}

    /// Records one finished request.
    public func record(model: String, status: Int) {
        counts.withLock { $0[model, default: [:]][status, default: 0] += 1 }
    }

    /// Records a request the fast path (``FastPathHandler``) answered.
    func recordFastPath() {
        fastPath.add(1, ordering: .relaxed)
    }

    /// Requests the fast path answered so far.
    public var fastPathAnswered: Int { fastPath.load(ordering: .relaxed) }

    /// Model → status → count.
    public var snapshot: [String: [Int: Int]] { counts.withLock { $0 } }
}
