import Testing

@testable import Runtime

/// Which backend URLs swap's own client takes, and how they split.
struct UpstreamTargetTests {
    @Test(
        "plain http URLs split into host, port, path prefix and Host header",
        arguments: [
            ("http://127.0.0.1:8081", "127.0.0.1", 8081, "", "127.0.0.1:8081"),
            ("http://127.0.0.1:8081/", "127.0.0.1", 8081, "", "127.0.0.1:8081"),
            ("http://localhost:9000/api/v2/", "localhost", 9000, "/api/v2", "localhost:9000"),
            ("http://gpu-box", "gpu-box", 80, "", "gpu-box"),
            ("http://[::1]:8080", "::1", 8080, "", "[::1]:8080"),
            ("http://[::1]", "::1", 80, "", "[::1]"),
            ("http://bücher.example:8080/pfad/ä", "bücher.example", 8080, "/pfad/ä", "bücher.example:8080"),
        ])
    func parses(url: String, host: String, port: Int, prefix: String, hostHeader: String) throws {
        let target = try #require(UpstreamTarget(baseURL: url))
        #expect(target.host == host)
        #expect(target.port == port)
        #expect(target.pathPrefix == prefix)
        #expect(target.hostHeader == hostHeader)
    }

    @Test(
        "https, credentials, bad ports and malformed hosts are left to AsyncHTTPClient",
        arguments: [
            "https://peer.example:443", "http://user:pw@host:80", "http://host:0", "http://host:70000",
            "http://host:abc", "http://", "http://[::1", "http://:8080", "127.0.0.1:8080", "http://[::1]x",
            "http://host/a?b", "http://host/a#b", "http://[]:80",
        ])
    func rejects(url: String) {
        #expect(UpstreamTarget(baseURL: url) == nil)
    }

    @Test("an address parses a plain http URL once and leaves https to AsyncHTTPClient")
    func address() {
        let plain = UpstreamAddress("http://127.0.0.1:5801/v1")
        #expect(plain.target?.port == 5801 && plain.target?.pathPrefix == "/v1")
        #expect(UpstreamAddress("https://peer.example").target == nil)
    }
}
