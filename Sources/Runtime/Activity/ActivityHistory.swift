import Synchronization

/// The activity history: the newest `maxInMemory` records in memory, which the routes
/// read, and with `store.path` every record also written to an ``ActivityDatabase`` by
/// one writer task, off the request path. At start the window is filled from the
/// database, so history survives restarts.
///
/// A database that fails (disk full, file removed) is reported once through `log`; the
/// server keeps serving and the history stays in memory.
public final class ActivityHistory: ActivityObserver, Sendable {
    private struct Window {
        var records: [ActivityRecord] = []
        var head = 0
    }

    /// Records kept in memory.
    public let maxInMemory: Int
    private let window: Mutex<Window>
    private let writes: AsyncStream<ActivityRecord>.Continuation?
    private let writer: Task<Void, Never>?

    /// A history of `maxInMemory` records, written through to `database` when given
    /// (the window starts with its newest rows). `log` gets one line when the database fails.
    public init(maxInMemory: Int, database: ActivityDatabase?, log: @escaping @Sendable (String) -> Void) {
        self.maxInMemory = max(0, maxInMemory)
        var initial = Window()
        if let database, let newest = try? database.newest(self.maxInMemory) { initial.records = newest }
        window = Mutex(initial)
        guard let database else {
            writes = nil
            writer = nil
            return
        }
        let (stream, continuation) = AsyncStream.makeStream(
            of: ActivityRecord.self, bufferingPolicy: .bufferingNewest(10_000))
        writes = continuation
        writer = Task.detached {
            var failed = false
            var batch: [ActivityRecord] = []
            var iterator = stream.makeAsyncIterator()
            while let record = await iterator.next() {
                guard !failed else { continue }
                batch.append(record)
                do {
                    try database.insert(batch)
                    batch = []
                } catch {
                    failed = true
                    log(
                        "activity store: writing to the database failed (\(error)); "
                            + "new activity is kept in memory only until the server restarts")
                }
            }
        }
    }

    deinit {
        writes?.finish()
    }

    /// Waits until every record handed over so far is written (tests, shutdown).
    public func close() async {
        writes?.finish()
        await writer?.value
    }

    /// Keeps `record` (``ActivityObserver``).
    public func finished(_ record: ActivityRecord) {
        window.withLock { window in
            guard maxInMemory > 0 else { return }
            window.records.append(record)
            if window.records.count - window.head > maxInMemory { window.head += 1 }
            if window.head >= max(64, maxInMemory / 2) {
                window.records.removeFirst(window.head)
                window.head = 0
            }
        }
        writes?.yield(record)
    }

    /// The records in memory, oldest stored first.
    public func records() -> [ActivityRecord] {
        window.withLock { Array($0.records[$0.head...]) }
    }

    /// The largest id in memory (0 when empty).
    public var lastID: Int {
        window.withLock { $0.records[$0.head...].map(\.id).max() ?? 0 }
    }
}
