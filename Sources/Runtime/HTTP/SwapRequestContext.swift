import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core context plus the connection's channel,
/// so work done for a request can be cancelled when its client goes away.
public struct SwapRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    public let channel: any Channel

    /// Creates the context for one request on `source`'s connection.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// Runs `operation`, cancelling it if the client's connection closes first (a client
    /// that gave up on a request waiting for a model load withdraws it from the queue;
    /// an upstream request whose client is gone is cancelled).
    func untilClientDisconnects<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        // The work stays on the connection's event loop (see ``EventLoopPinnedChannel``).
        let task = Task(executorPreference: EventLoopTaskExecutor.shared(for: channel.eventLoop)) {
            try await operation()
        }
        let watcher = DisconnectWatcher.shared
        let token = watcher.add({ task.cancel() }, on: channel)
        defer { watcher.remove(token, on: channel) }
        return try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
