import ServiceLifecycle
import Synchronization

/// Samples the memory of every running backend on a timer (not per request): the RSS
/// and swap of each backend's process tree from `/proc`, and GPU memory per process
/// from `nvidia-smi` when it is installed. `/running`, `/metrics` and the event stream
/// read the latest sample; ``subscribe()`` delivers each new one.
public final class MemorySampler: Service, Sendable {
    /// What the sampler asks for the backends' process ids (model → pid).
    public typealias ProcessIDs = @Sendable () async -> [String: Int32]

    private let processIDs: ProcessIDs
    private let every: Duration
    private let skipping: String?
    private let state = Mutex(State())

    private struct State {
        var latest: [String: ModelMemory] = [:]
        var subscribers: [Int: AsyncStream<[String: ModelMemory]>.Continuation] = [:]
        var next = 0
    }

    /// Samples the processes `processIDs` names, and their descendants, every `every`;
    /// a descendant whose first argument is `skipping` (swap's watchdog) is left out.
    public init(every: Duration = .seconds(5), skipping: String? = nil, processIDs: @escaping ProcessIDs) {
        self.skipping = skipping
        self.every = every
        self.processIDs = processIDs
    }

    /// The latest sample: model → memory, for models with a running process.
    public var latest: [String: ModelMemory] { state.withLock { $0.latest } }

    /// Each new sample from now on, until the stream's consumer stops. A slow consumer
    /// keeps only the newest sample.
    public func subscribe() -> AsyncStream<[String: ModelMemory]> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: [String: ModelMemory].self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Samples now, stores the sample and hands it to every subscriber.
    @discardableResult
    public func sample() async -> [String: ModelMemory] {
        let pids = await processIDs()
        var result: [String: ModelMemory] = [:]
        if !pids.isEmpty {
            let gpu = await Self.gpuMemoryByPID()
            let parents = ProcessTree.parents()
            for (model, pid) in pids {
                result[model] = ProcessTree.memory(
                    of: ProcessTree.tree(of: pid, parents: parents), gpuByPID: gpu, skipping: skipping)
            }
        }
        let subscribers = state.withLock { state in
            state.latest = result
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(result) }
        return result
    }

    /// Samples every ``every`` until the service group shuts down.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sample()
            try? await gracefulShutdownOrSleep(every)
        }
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.finish() }
    }

    private func gracefulShutdownOrSleep(_ duration: Duration) async throws {
        try await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }

    /// GPU memory per process from `nvidia-smi`, or nil when it is not installed.
    static func gpuMemoryByPID() async -> [Int32: Int]? {
        guard
            let csv = await SystemCommand.output(
                "nvidia-smi", ["--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits"])
        else { return nil }
        return ProcParsers.gpuMemoryByPID(csv)
    }
}
