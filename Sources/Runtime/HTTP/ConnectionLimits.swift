import NIOCore

/// What one client connection may take of the server: how long it may be slow, and
/// how many connections there may be. Every timeout measures a stall, never a whole
/// exchange, so a long generation that keeps sending tokens is never cut.
public struct ConnectionLimits: Sendable, Equatable {
    /// Longest wait for a new connection's request head (line and headers), from the
    /// connection's start: what holds slowloris clients off.
    public var headerTimeout: Duration
    /// Longest pause between two parts of a request body.
    public var bodyTimeout: Duration
    /// Longest wait for the next request head on a kept-alive connection, from the end
    /// of the previous response.
    public var idleTimeout: Duration
    /// Longest time a response may stay unable to write because the client does not
    /// read (the socket's buffer is full); streams included.
    public var writeTimeout: Duration
    /// Most connections open at once; one more gets a 503 and is closed.
    public var maxConnections: Int

    /// The defaults: 30 s for a request head, 60 s between body parts, 60 s idle,
    /// 60 s of a client not reading, 1024 connections.
    public init(
        headerTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(60),
        idleTimeout: Duration = .seconds(60), writeTimeout: Duration = .seconds(60), maxConnections: Int = 1024
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.maxConnections = maxConnections
    }
}
