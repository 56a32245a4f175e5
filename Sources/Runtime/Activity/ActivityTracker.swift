import Synchronization

/// The requests in flight and the observers of finished ones: hands each model-routed
/// request its id and ``RequestTrace``, keeps its ``InFlightEntry`` until it ends, tells
/// in-flight listeners every change, and gives every finished ``ActivityRecord`` to the
/// registered ``ActivityObserver``s.
///
/// Ids count up from the largest id the history already holds, so a record's id, its
/// in-flight id and `X-Swap-Request-Id` are one number, unique across restarts.
public final class ActivityTracker: Sendable {
    private struct State {
        var lastID: Int
        var inFlight: [Int: Entry] = [:]
        var observers: [any ActivityObserver] = []
        var listeners: [Int: @Sendable (InFlightEvent) -> Void] = [:]
        var lastListener = 0
    }

    private struct Entry {
        var entry: InFlightEntry
        var cancel: (@Sendable () -> Void)?
    }

    private let state: Mutex<State>

    /// A tracker whose first id is `lastID + 1`.
    public init(lastID: Int = 0) {
        state = Mutex(State(lastID: lastID))
    }

    /// Registers `observer` for every finished record.
    public func addObserver(_ observer: any ActivityObserver) {
        state.withLock { $0.observers.append(observer) }
    }

    /// Calls `listener` with every in-flight change until ``removeListener(_:)``; returns
    /// the snapshot taken at the same instant (no change is missed or told twice) and
    /// the token. `listener` must not block.
    public func addListener(_ listener: @escaping @Sendable (InFlightEvent) -> Void) -> (
        snapshot: [InFlightEntry], token: Int
    ) {
        state.withLock { state in
            state.lastListener += 1
            state.listeners[state.lastListener] = listener
            let entries = state.inFlight.values.map(\.entry).sorted { $0.id < $1.id }
            return (entries, state.lastListener)
        }
    }

    /// Stops telling the listener of `token`.
    public func removeListener(_ token: Int) {
        _ = state.withLock { $0.listeners.removeValue(forKey: token) }
    }

    /// The requests in flight, oldest first.
    public func snapshot() -> [InFlightEntry] {
        state.withLock { $0.inFlight.values.map(\.entry).sorted { $0.id < $1.id } }
    }

    /// Cancels the request in flight with `id`; false when there is none.
    public func cancel(id: Int) -> Bool {
        let cancel = state.withLock { state -> (@Sendable () -> Void)?? in
            guard let entry = state.inFlight[id] else { return nil }
            return .some(entry.cancel)
        }
        guard let cancel else { return false }
        cancel?()
        return true
    }

    // MARK: for traces

    /// A new id and the entry it starts with; `cancel` ends the request.
    func begin(_ entry: (Int) -> InFlightEntry, cancel: (@Sendable () -> Void)?) -> Int {
        let (id, listeners, started) = state.withLock { state in
            state.lastID += 1
            let started = entry(state.lastID)
            state.inFlight[state.lastID] = Entry(entry: started, cancel: cancel)
            return (state.lastID, Array(state.listeners.values), started)
        }
        for listener in listeners { listener(.upsert(started)) }
        return id
    }

    /// The request's entry changed.
    func update(_ entry: InFlightEntry) {
        let listeners = state.withLock { state -> [@Sendable (InFlightEvent) -> Void] in
            guard let index = state.inFlight.index(forKey: entry.id) else { return [] }
            state.inFlight.values[index].entry = entry
            return Array(state.listeners.values)
        }
        for listener in listeners { listener(.upsert(entry)) }
    }

    /// The request ended with `record`: it leaves the in-flight set and the observers get it.
    func finish(_ record: ActivityRecord) {
        let (listeners, observers) = state.withLock { state in
            state.inFlight[record.id] = nil
            return (Array(state.listeners.values), state.observers)
        }
        for listener in listeners { listener(.remove(id: record.id)) }
        for observer in observers { observer.finished(record) }
    }
}
