import ConfigLang
import HTTPTypes
import NIOCore

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

    /// 401 for a request without one of the configured API keys.
    public static let unauthorized = OpenAIError(
        .unauthorized,
        "Missing or wrong API key: send `Authorization: Bearer KEY`, `x-api-key: KEY` or the key as the Basic auth password.",
        type: "authentication_error", code: "invalid_api_key")

    /// 404 for a model no one serves.
    public static func unknownModel(_ name: String) -> OpenAIError {
        OpenAIError(
            .notFound, "The model `\(name)` does not exist; GET /v1/models lists the models this server has.",
            type: "invalid_request_error", code: "model_not_found")
    }

    /// 404 for a path swap-server does not serve.
    public static func noRoute(_ method: HTTPRequest.Method, _ path: String) -> OpenAIError {
        OpenAIError(.notFound, "No route for \(method) \(path).", type: "invalid_request_error", code: "not_found")
    }

    /// 413 for a buffered body over the limit.
    static func bodyTooLarge(limit: Int) -> OpenAIError {
        OpenAIError(
            .contentTooLarge, "The request body is larger than \(limit) bytes.", type: "invalid_request_error",
            code: "body_too_large")
    }

    /// The JSON body of this error.
    public var body: String {
        JSONValue.object([
            "error": .object(["message": .string(message), "type": .string(type), "code": .string(code)])
        ]).serialized()
    }

    /// The response carrying this error.
    public var response: ProxyResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        // A browser asks for the key once (as the Basic password) and then sends it with
        // every page, fetch and event stream of the UI.
        if status == .unauthorized { headers[.wwwAuthenticate] = "Basic realm=\"swap\"" }
        return ProxyResponse(status: status, headers: headers, body: .whole(ByteBuffer(string: body)))
    }
}
