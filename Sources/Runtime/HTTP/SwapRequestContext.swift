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
    ///
    /// The operation runs in the calling task, the connection's (which stays on the
    /// connection's event loop, see ``EventLoopPinnedChannel``): a closed connection
    /// cancels that task, which has nothing left to do for a client that is gone.
    nonisolated(nonsending) func untilClientDisconnects<T: Sendable>(
        _ operation: nonisolated(nonsending) () async throws -> T
    ) async throws -> T {
        let canceller = TaskCanceller()
        let watcher = DisconnectWatcher.shared
        let token = watcher.add({ canceller.cancel() }, on: channel)
        defer {
            watcher.remove(token, on: channel)
            canceller.disarm()
        }
        return try await operation()
    }
}
