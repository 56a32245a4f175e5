import AsyncHTTPClient
import Foundation
import NIOCore

/// Small HTTP helpers for integration tests (AsyncHTTPClient; no curl).
public enum TestHTTP {
    /// The shared HTTP client of the tests.
    public static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// A whole response: status, headers and body text.
    public struct Reply: Sendable {
        /// Creates the value.
        public init(status: Int, headers: [(String, String)], body: String) {
            self.status = status
            self.headers = headers
            self.body = body
        }
        /// HTTP status code.
        public let status: Int
        /// Response headers.
        public let headers: [(String, String)]
        /// Body text.
        public let body: String
        /// The body parsed as a JSON object, if it is one.
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
        /// The first header named `name`, case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    /// Sends one request and returns the whole reply.
    public static func send(
        _ method: String, _ url: String, json: [String: Any]? = nil, headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(60)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        }
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: body))
    }

    /// Sends a streaming request and returns each chunk with the time it arrived;
    /// `timeout` bounds the whole exchange.
    public static func stream(
        _ url: String, json: [String: Any], timeout: TimeAmount = .seconds(60)
    ) async throws -> (status: Int, chunks: [(ContinuousClock.Instant, String)]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await client.execute(request, timeout: timeout)
        var chunks: [(ContinuousClock.Instant, String)] = []
        for try await chunk in response.body {
            chunks.append((ContinuousClock.now, String(buffer: chunk)))
        }
        return (Int(response.status.code), chunks)
    }
}
