/// How long the proxy waits on the connection to a model's backend or to a peer, in
/// seconds; 0 turns a limit off. The defaults are llama-swap's.
public struct ConnectionTimeouts: Sendable, Hashable, Codable {
    /// Opening the TCP connection.
    public var connect: Int
    /// TCP keepalive probe period of an open connection.
    public var keepalive: Int
    /// From the request sent to the response head (0: no limit, as model answers can
    /// take long to start).
    public var responseHeader: Int
    /// Completing a TLS handshake (https backends and peers; see `HTTPSClients`).
    public var tlsHandshake: Int
    /// How long an idle pooled connection is kept open.
    public var idleConn: Int

    /// llama-swap's defaults.
    public static let defaults = ConnectionTimeouts()

    /// The keys Go's HTTP transport treats as "no limit" (or, for `keepalive`, "off") when
    /// negative, so a negative value means 0 here too; a negative `connect` or
    /// `tlsHandshake` makes every Go connection fail at once and stays an error.
    public static let offWhenNegative: Set<String> = ["keepalive", "responseHeader", "idleConn", "expectContinue"]

    /// Timeouts; a field not given keeps llama-swap's default.
    public init(
        connect: Int = 30, keepalive: Int = 30, responseHeader: Int = 0, tlsHandshake: Int = 10, idleConn: Int = 90
    ) {
        self.connect = connect
        self.keepalive = keepalive
        self.responseHeader = responseHeader
        self.tlsHandshake = tlsHandshake
        self.idleConn = idleConn
    }
}
