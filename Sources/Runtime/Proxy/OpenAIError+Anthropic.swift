import ConfigLang
import HTTPTypes
import NIOCore

/// The same errors in Anthropic's shape, for the routes Anthropic's clients call:
/// `{"type": "error", "error": {"type", "message"}}`, so the `anthropic` SDKs raise the
/// exception that matches the status with swap's message.
extension OpenAIError {
    /// Paths whose errors take Anthropic's shape.
    static let anthropicPaths: Set<String> = ["/v1/messages", "/v1/messages/count_tokens"]

    /// Anthropic's error type for this status.
    var anthropicType: String {
        switch status.code {
        case 400, 499: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 503: "overloaded_error"
        case 504: "timeout_error"
        default: "api_error"
        }
    }

    /// The JSON body in Anthropic's shape.
    var anthropicBody: String {
        JSONValue.object([
            "type": .string("error"),
            "error": .object(["type": .string(anthropicType), "message": .string(message)]),
        ]).serialized()
    }

    /// The response for a request to `path`: Anthropic's shape on its routes, else
    /// OpenAI's.
    func response(forPath path: String) -> ProxyResponse {
        guard Self.anthropicPaths.contains(path) else { return response }
        var answer = response
        answer.body = .whole(ByteBuffer(string: anthropicBody))
        return answer
    }
}
