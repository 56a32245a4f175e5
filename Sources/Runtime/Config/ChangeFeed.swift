import Synchronization

/// Hands each published value to every current subscriber: the active profile after a
/// switch (`CurrentConfig.profileChanges`, `/api/events`' `profileChanged`), and a
/// signal after each config load attempt (`CurrentConfig.reloadAttempts`,
/// `configReload`).
///
/// A subscriber that falls 64 values behind loses the oldest of them.
public final class ChangeFeed<Value: Sendable>: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<Value>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// Creates a feed without subscribers.
    public init() {}

    /// Each value published from now on, until the consumer stops iterating.
    public func subscribe() -> AsyncStream<Value> {
        let (stream, continuation) = AsyncStream.makeStream(of: Value.self, bufferingPolicy: .bufferingNewest(64))
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            state.subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Sends `value` to every subscriber.
    func publish(_ value: Value) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(value) }
    }
}
