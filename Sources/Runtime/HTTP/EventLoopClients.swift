import AsyncHTTPClient
import NIOCore

/// One `HTTPClient` per event loop of a group, so that a proxied request's upstream
/// connection lives on the event loop of the client connection it answers.
///
/// Reading the request, sending it upstream, reading the answer and writing it back
/// then all happen on one thread. A single shared client picks any idle pooled
/// connection, often one on another event loop, and every step of the request then
/// crosses between the two threads (each crossing wakes a thread).
///
/// ```swift
/// let clients = EventLoopClients(group: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
/// let client = clients.client(for: channel.eventLoop) ?? shared
/// …
/// await clients.shutdown()
/// ```
public final class EventLoopClients: Sendable {
    private let clients: [(loop: any EventLoop, client: HTTPClient)]

    /// Creates one client with `configuration` on each event loop of `group`.
    public init(group: any EventLoopGroup, configuration: HTTPClient.Configuration) {
        clients = group.makeIterator().map { loop in
            (loop, HTTPClient(eventLoopGroupProvider: .shared(loop), configuration: configuration))
        }
    }

    /// The client whose connections live on `loop`, or nil when `loop` is not one of
    /// the group's.
    public func client(for loop: any EventLoop) -> HTTPClient? {
        for entry in clients where entry.loop === loop {
            return entry.client
        }
        return nil
    }

    /// Shuts every client down (after the server has stopped sending requests).
    public func shutdown() async {
        for entry in clients {
            try? await entry.client.shutdown()
        }
    }
}
