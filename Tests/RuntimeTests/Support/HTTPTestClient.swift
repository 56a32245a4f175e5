import AsyncHTTPClient
import Foundation
import NIOCore

/// Small HTTP helpers for integration tests (AsyncHTTPClient; no curl).
enum TestHTTP {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    struct Reply: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: String
        var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        }
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
    }

    static func send(
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

    /// Sends a streaming request and returns each chunk with the time it arrived.
    static func stream(_ url: String, json: [String: Any]) async throws -> (status: Int, chunks: [(ContinuousClock.Instant, String)]) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        let response = try await client.execute(request, timeout: .seconds(60))
        var chunks: [(ContinuousClock.Instant, String)] = []
        for try await chunk in response.body {
            chunks.append((ContinuousClock.now, String(buffer: chunk)))
        }
        return (Int(response.status.code), chunks)
    }
}
