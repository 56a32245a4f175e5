import Dispatch
import Synchronization

/// Hands batches of values from one producing thread to one consuming thread, in
/// order, then an end marker. The consumer blocks while nothing is ready.
final class BatchChannel<Value: Sendable>: Sendable {
    private struct State {
        var ready: [[Value]] = []
        var next = 0
        var finished = false
    }

    private let state = Mutex(State())
    private let signals = DispatchSemaphore(value: 0)

    /// Queues `batch` for the consumer.
    func send(_ batch: [Value]) {
        state.withLock { $0.ready.append(batch) }
        signals.signal()
    }

    /// Marks the end: after the queued batches, ``receive()`` returns nil.
    func finish() {
        state.withLock { $0.finished = true }
        signals.signal()
    }

    /// The next batch, waiting for it; nil once the producer finished and all were taken.
    func receive() -> [Value]? {
        signals.wait()
        return state.withLock { state in
            guard state.next < state.ready.count else { return nil }
            let batch = state.ready[state.next]
            state.ready[state.next] = []
            state.next += 1
            return batch
        }
    }
}
