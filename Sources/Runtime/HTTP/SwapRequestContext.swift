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

    /// Runs `operation` in a task of its own that is cancelled when the client's
    /// connection closes first (a client that gave up on a request waiting for a model
    /// load withdraws it from the queue; an upstream request whose client is gone is
    /// cancelled), or when the calling task is.
    func untilClientDisconnects<T: Sendable>(_ operation: @escaping @Sendable () async -> T) async -> T {
        let task = Task(executorPreference: EventLoopTaskExecutor.shared(for: channel.eventLoop)) {
            await operation()
        }
        let watcher = DisconnectWatcher.shared
        let token = watcher.add({ task.cancel() }, on: channel)
        defer { watcher.remove(token, on: channel) }
        return await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
