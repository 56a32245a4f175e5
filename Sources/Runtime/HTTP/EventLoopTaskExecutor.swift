import Dispatch
import NIOCore
import NIOPosix
import Synchronization

/// A `TaskExecutor` that runs jobs on one NIO event loop while the loop is lightly
/// loaded, and on a shared thread pool otherwise: it keeps a proxied request's stream
/// time to first byte under its 0.3 ms floor (Benchmarks/README.md).
///
/// A task that prefers it (`withTaskExecutorPreference`, or a child of such a task)
/// runs its nonisolated code and its calls into default actors here. swap-server runs
/// each client connection's task on the connection's own loop: a request read, forwarded
/// upstream, answered and written back then wakes no other thread, since every
/// continuation resumed by the loop's I/O is queued on the loop that is already awake.
///
/// With many requests in flight on the loop (more than `spillThreshold`, counted by
/// ``requestStarted()`` and ``requestEnded()``) jobs go to Dispatch's global queue instead: the loop then only does
/// I/O and the request work spreads over every core, as it would without this executor.
///
/// ```swift
/// let executor = EventLoopTaskExecutor.shared(for: channel.eventLoop)
/// await withTaskExecutorPreference(executor) {
///     executor.requestStarted()
///     defer { executor.requestEnded() }
///     try await handle(request)
/// }
/// ```
///
/// Work on this executor must not block a thread.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop
    /// Requests in flight above which jobs run on the shared pool instead of the loop.
    public let spillThreshold: Int
    private let inFlight = Atomic<Int>(0)

    /// Creates an executor for `eventLoop`.
    public init(_ eventLoop: any EventLoop, spillThreshold: Int = 2) {
        self.eventLoop = eventLoop
        self.spillThreshold = spillThreshold
    }

    /// The executors of the loops of `MultiThreadedEventLoopGroup.singleton` (the group
    /// swap-server serves on), made once: looked up on every request without a lock.
    private static let singletonExecutors = Dictionary(
        uniqueKeysWithValues: MultiThreadedEventLoopGroup.singleton.makeIterator().map {
            (ObjectIdentifier($0), EventLoopTaskExecutor($0))
        })
    /// Executors of any other loop, made on first use.
    private static let executors = Mutex<[ObjectIdentifier: EventLoopTaskExecutor]>([:])

    /// The process-wide executor of `eventLoop` (one per loop, so that its count of
    /// requests in flight covers every connection on the loop).
    public static func shared(for eventLoop: any EventLoop) -> EventLoopTaskExecutor {
        if let executor = singletonExecutors[ObjectIdentifier(eventLoop)] { return executor }
        return executors.withLock { table in
            if let executor = table[ObjectIdentifier(eventLoop)] { return executor }
            let executor = EventLoopTaskExecutor(eventLoop)
            table[ObjectIdentifier(eventLoop)] = executor
            return executor
        }
    }

    /// Counts a request in flight on the loop until ``requestEnded()``.
    public func requestStarted() {
        inFlight.add(1, ordering: .relaxed)
    }

    /// Ends a request counted by ``requestStarted()``.
    public func requestEnded() {
        inFlight.subtract(1, ordering: .relaxed)
    }

    /// Queues `job` on the loop (no thread wake-up when called on the loop itself), or on
    /// the shared pool when the loop is busy.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if inFlight.load(ordering: .relaxed) > spillThreshold {
            DispatchQueue.global().async {
                job.runSynchronously(on: self.asUnownedTaskExecutor())
            }
        } else {
            eventLoop.execute {
                job.runSynchronously(on: self.asUnownedTaskExecutor())
            }
        }
    }
}
