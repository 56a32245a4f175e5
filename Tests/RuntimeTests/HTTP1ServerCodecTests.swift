import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Testing

@testable import Runtime

/// swap's HTTP/1 → HTTP Types request conversion agrees with the library's.
struct HTTP1ServerCodecTests {
    static func head(_ method: HTTPMethod, _ uri: String, _ headers: [(String, String)]) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    static let heads: [HTTPRequestHead] = [
        head(.POST, "/v1/chat/completions", [("Host", "127.0.0.1:8080"), ("Content-Type", "application/json")]),
        head(.GET, "/props?model=a%20b&x=1", [("host", "a"), ("Host", "b"), ("Cookie", "a=1; b=2")]),
        head(.GET, "/", []),
        head(.GET, "//double/slash?q", [("Host", "h")]),
        head(.POST, "http://example.com:81/v1/completions?stream=true", [("Host", "example.com:81")]),
        head(.GET, "http://example.com", []),
        head(.OPTIONS, "*", [("Host", "h")]),
        head(.RAW(value: "PURGE"), "/cache", []),
    ]

    @Test("every request head converts as HTTPRequest(_:secure: false, splitCookie: false) converts it")
    func sameAsLibrary() throws {
        for head in Self.heads {
            let expected = try HTTPRequest(head, secure: false, splitCookie: false)
            let converted = try HTTP1ServerCodec.request(head)
            #expect(converted == expected, "\(head.method) \(head.uri)")
            #expect(converted.headerFields == expected.headerFields, "\(head.method) \(head.uri)")
        }
    }
}
