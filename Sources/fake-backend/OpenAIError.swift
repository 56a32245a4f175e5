import ConfigLang
import Hummingbird

/// Error responses in the shape llama-server and OpenAI both use:
/// `{"error": {"code": 400, "message": "…", "type": "invalid_request_error"}}`.
enum OpenAIError {
    /// A JSON error response with `status`, the given message and error type.
    static func response(_ status: HTTPResponse.Status, message: String, type: String) -> Response {
        let body: JSONValue = [
            "error": ["code": .integer(status.code), "message": .string(message), "type": .string(type)]
        ]
        return JSONResponse.make(body, status: status)
    }
}
