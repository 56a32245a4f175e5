import Dispatch
import Synchronization

/// Hands batches of values from one producing thread to one consuming thread, in
/// order, then an end marker. The consumer blocks while nothing is ready.
final class BatchChannel<Value: Sendable>: Sendable {
    private struct State {
        var ready: [[Value]] = []
        var next = 0
        var finished = false
        var returned: [Value] = []
        var created = 0
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

    /// At most this many values are made for ``recycled(orMake:)``.
    private let recycleLimit: Int
    /// Counts the values given back and not yet taken again.
    private let returns = DispatchSemaphore(value: 0)

    /// A channel whose producer makes at most `recycleLimit` values with
    /// ``recycled(orMake:)`` and reuses those the consumer gives back.
    init(recycleLimit: Int) {
        self.recycleLimit = recycleLimit
    }

    /// Hands a used value back to the producer (``recycled(orMake:)``).
    func giveBack(_ value: Value) {
        state.withLock { $0.returned.append(value) }
        returns.signal()
    }

    /// A value to fill: one given back, a new one from `make` while fewer than the limit
    /// exist, or else the next one given back, waiting for it. The producer then runs at
    /// most `recycleLimit` values ahead of the consumer, and a few buffers go round
    /// instead of fresh memory for every batch.
    func recycled(orMake make: () -> Value) -> Value {
        let makes = state.withLock { state in
            guard state.returned.isEmpty, state.created < recycleLimit else { return false }
            state.created += 1
            return true
        }
        if makes { return make() }
        returns.wait()
        return state.withLock { $0.returned.removeLast() }
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
