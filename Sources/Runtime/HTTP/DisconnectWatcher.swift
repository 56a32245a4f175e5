import NIOCore
import Synchronization

/// Cancels the work of requests whose client connection closed.
///
/// One `closeFuture` callback per connection (not per request: a keep-alive connection
/// can carry thousands of requests, and callbacks cannot be removed), and a table of the
/// cancellation handles of the work in flight on each connection.
final class DisconnectWatcher: Sendable {
    /// The process-wide watcher.
    static let shared = DisconnectWatcher()

    private struct Connection {
        var next = 0
        var handles: [Int: @Sendable () -> Void] = [:]

        /// Keeps `cancel` and returns its token; the first one a connection gets is 0.
        mutating func add(_ cancel: @escaping @Sendable () -> Void) -> Int {
            let token = next
            next += 1
            handles[token] = cancel
            return token
        }
    }

    private let connections = Mutex<[ObjectIdentifier: Connection]>([:])

    /// Registers `cancel` for work on `channel`; returns a token for ``remove(_:on:)``.
    /// If the channel is already closed, `cancel` runs at once.
    func add(_ cancel: @escaping @Sendable () -> Void, on channel: any Channel) -> Int {
        let key = ObjectIdentifier(channel)
        // Changed in place, with one lookup: a copy taken out of the table would copy its
        // handles too.
        let token = connections.withLock { $0[key, default: Connection()].add(cancel) }
        // Token 0: the connection was not in the table (its first work, or it closed).
        if token == 0 {
            channel.closeFuture.whenComplete { [self] _ in
                let handles = connections.withLock { $0.removeValue(forKey: key)?.handles.values.map { $0 } ?? [] }
                for handle in handles { handle() }
            }
        }
        return token
    }

    /// Forgets the work registered under `token`.
    func remove(_ token: Int, on channel: any Channel) {
        let key = ObjectIdentifier(channel)
        // Through the table's index: a change made through `$0[key]?.…` allocated the
        // frames of the subscript's nested accessors (three allocations per request).
        connections.withLock { table in
            guard let index = table.index(forKey: key) else { return }
            table.values[index].handles.removeValue(forKey: token)
        }
    }
}
