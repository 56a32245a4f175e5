import Synchronization

/// Tells subscribers each time the active profile changes: the hook `/api/events`
/// sends `profileChanged` from (it is built by a later issue; today nothing in the
/// server subscribes, and tests do).
public final class ProfileChangeFeed: Sendable {
    private struct State {
        var nextID = 0
        var subscribers: [Int: AsyncStream<String?>.Continuation] = [:]
    }

    private let state = Mutex(State())

    /// Creates a feed without subscribers.
    public init() {}

    /// The active profile after each change from now on (nil when cleared), until the
    /// stream's consumer stops iterating.
    public func subscribe() -> AsyncStream<String?> {
        let (stream, continuation) = AsyncStream.makeStream(of: String?.self, bufferingPolicy: .bufferingNewest(64))
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

    /// Sends `active` to every subscriber.
    func publish(_ active: String?) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(active) }
    }
}
