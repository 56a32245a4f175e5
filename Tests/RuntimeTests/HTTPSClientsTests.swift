import AsyncHTTPClient
import ConfigLang
import HTTPTypes
import NIOCore
import Testing

@testable import Runtime

/// https targets: one AsyncHTTPClient per distinct `timeouts`, configured from them.
struct HTTPSClientsTests {
    @Test("connect and TLS handshake share one deadline of connect + tlsHandshake; 0 means no limit")
    func configuration() {
        let given = HTTPSClients.configuration(
            ConnectionTimeouts(connect: 3, keepalive: 30, responseHeader: 0, tlsHandshake: 2, idleConn: 7))
        #expect(given.timeout.connect == .seconds(5))
        #expect(given.connectionPool.idleTimeout == .seconds(7))
        let defaults = HTTPSClients.configuration(.defaults)
        #expect(defaults.timeout.connect == .seconds(40), "llama-swap's 30 s dial plus 10 s handshake")
        #expect(defaults.connectionPool.idleTimeout == .seconds(90))
        let off = HTTPSClients.configuration(
            ConnectionTimeouts(connect: 0, keepalive: 30, responseHeader: 0, tlsHandshake: 10, idleConn: 0))
        #expect(off.timeout.connect == .seconds(HTTPSClients.unlimited))
        #expect(off.connectionPool.idleTimeout == .seconds(HTTPSClients.unlimited))
    }

    @Test("targets with the same timeouts share a client; other timeouts get their own")
    func sharing() async {
        let clients = HTTPSClients()
        let first = clients.client(for: .defaults)
        let again = clients.client(for: ConnectionTimeouts())
        let other = clients.client(for: ConnectionTimeouts(tlsHandshake: 3))
        #expect(first === again)
        #expect(first !== other)
        await clients.shutdown()
    }

    /// A chat request to the fake backend on `port` through AsyncHTTPClient (no pool, as
    /// for an https target), with `timeouts`.
    static func chat(_ upstream: UpstreamClient, port: Int, timeouts: ConnectionTimeouts) async throws
        -> UpstreamAnswer
    {
        let body = Array(#"{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}"#.utf8)
        return try await upstream.send(
            method: .post, to: UpstreamAddress("http://127.0.0.1:\(port)"), path: "/v1/chat/completions", query: nil,
            headers: [.contentType: "application/json"], body: .bytes(body), stripCredentials: false, inject: [],
            on: nil, timeouts: timeouts)
    }

    @Test("through AsyncHTTPClient, responseHeader limits the wait for the head, not the streamed body")
    func responseHeader() async throws {
        let clients = HTTPSClients()
        let upstream = UpstreamClient(client: HTTPClient.shared, upstream: nil, https: clients)
        let limit = ConnectionTimeouts(responseHeader: 1)
        try await UpstreamConnectionPoolTests.withBackend(["--answer-delay-ms", "30000"]) { port in
            await #expect(throws: UpstreamError.self) {
                _ = try await Self.chat(upstream, port: port, timeouts: limit)
            }
        }
        try await UpstreamConnectionPoolTests.withBackend(["--tokens", "40", "--token-delay-ms", "50"]) { port in
            guard case .client(let response) = try await Self.chat(upstream, port: port, timeouts: limit) else {
                Issue.record("expected an AsyncHTTPClient answer")
                return
            }
            #expect(response.status == .ok)
            var text = ""
            for try await chunk in response.body { text += String(buffer: chunk) }
            #expect(text.contains("[DONE]"), "the body kept streaming past the 1 s head limit")
        }
        await clients.shutdown()
    }
}
