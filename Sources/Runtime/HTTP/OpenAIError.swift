import Foundation
import HTTPTypes
import Hummingbird

/// An error a client sees, in OpenAI's shape: `{"error": {"message", "type", "code"}}`.
public struct OpenAIError: Error, Sendable {
    /// HTTP status.
    public var status: HTTPResponse.Status
    /// What went wrong and what to do.
    public var message: String
    /// OpenAI error type (`invalid_request_error`, `server_error`…).
    public var type: String
    /// A short machine-readable code (`model_not_found`…).
    public var code: String
    /// Seconds for a `Retry-After` header (429, 503).
    public var retryAfter: Int?

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ message: String, type: String, code: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.code = code
        self.retryAfter = retryAfter
    }

    /// 400 for a request swap cannot read.
    public static func badRequest(_ message: String) -> OpenAIError {
        OpenAIError(.badRequest, message, type: "invalid_request_error", code: "bad_request")
    }

    /// 404 for a model no one serves.
    public static func unknownModel(_ name: String) -> OpenAIError {
        OpenAIError(
            .notFound, "The model `\(name)` does not exist; GET /v1/models lists the models this server has.",
            type: "invalid_request_error", code: "model_not_found")
    }

    /// The response carrying this error.
    public func response() -> Response {
        responseAndBody().response
    }

    /// The response carrying this error, and its body (the JSON) on its own.
    func responseAndBody() -> (response: Response, body: ByteBuffer) {
        let json: [String: Any] = ["error": ["message": message, "type": type, "code": code]]
        let data = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data()
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let body = ByteBuffer(bytes: data)
        return (Response(status: status, headers: headers, body: .init(byteBuffer: body)), body)
    }
}
