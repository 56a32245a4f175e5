import AsyncHTTPClient
import ConfigLang
import NIOCore
import Synchronization

/// The AsyncHTTPClient instances https backends and peers are reached through, one per
/// distinct ``ConnectionTimeouts``: AsyncHTTPClient takes its limits per client, not
/// per request. Clients are made on first use and live until ``shutdown()``.
public final class HTTPSClients: Sendable {
    private let clients = Mutex<[ConnectionTimeouts: HTTPClient]>([:])

    /// Creates an empty set of clients.
    public init() {}

    /// The client for targets with `timeouts`.
    public func client(for timeouts: ConnectionTimeouts) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[timeouts] { return client }
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: Self.configuration(timeouts))
            clients[timeouts] = client
            return client
        }
    }

    /// Shuts every client down; call once, when no request uses them any more.
    public func shutdown() async {
        let all = clients.withLock { clients in
            defer { clients.removeAll() }
            return Array(clients.values)
        }
        for client in all { try? await client.shutdown() }
    }

    /// A day: the limit used where a timeout of 0 means none (AsyncHTTPClient always
    /// has a connect deadline and an idle timeout).
    static let unlimited: Int64 = 86_400

    /// The configuration for `timeouts`. AsyncHTTPClient gives opening the TCP
    /// connection and the TLS handshake one deadline, so it gets `connect +
    /// tlsHandshake` seconds (llama-swap's Go transport times the two apart; the sum is
    /// what both allow at most). `idleConn` is the pool's idle timeout. `keepalive` has
    /// no AsyncHTTPClient setting; `responseHeader` is applied per request by
    /// ``UpstreamClient``.
    static func configuration(_ timeouts: ConnectionTimeouts) -> HTTPClient.Configuration {
        let connect =
            timeouts.connect > 0 && timeouts.tlsHandshake > 0
            ? Int64(timeouts.connect) + Int64(timeouts.tlsHandshake) : unlimited
        let idle = timeouts.idleConn > 0 ? Int64(timeouts.idleConn) : unlimited
        var configuration = HTTPClient.Configuration(
            timeout: .init(connect: .seconds(connect)),
            connectionPool: .init(idleTimeout: .seconds(idle), concurrentHTTP1ConnectionsPerHostSoftLimit: 64),
            decompression: .disabled)
        // swap exports no traces (as for the server's own client).
        configuration.tracing.tracer = nil
        return configuration
    }
}
