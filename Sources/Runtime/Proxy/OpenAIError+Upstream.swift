import HTTPTypes

/// How a failed exchange with a backend or peer looks to the client.
extension OpenAIError {
    /// The error for a request the backend at `baseURL` did not answer: a 504 when no
    /// response head came within `timeouts.responseHeader`, else a 502.
    static func upstreamFailed(_ error: any Error, baseURL: String) -> OpenAIError {
        if case UpstreamError.responseHeaderTimeout(let seconds) = error {
            return OpenAIError(
                .gatewayTimeout,
                "The backend at \(baseURL) did not start answering within \(seconds) s (`timeouts.responseHeader`).",
                type: "server_error", code: "backend_timeout")
        }
        return OpenAIError(
            .badGateway, "The backend at \(baseURL) did not answer: \(error).", type: "server_error",
            code: "backend_failed")
    }

    /// The 502 for an answer whose backend failed after its head and before the first
    /// byte of a body swap waits for.
    static func answerFailed(_ error: any Error, baseURL: String) -> OpenAIError {
        OpenAIError(
            .badGateway, "The backend at \(baseURL) failed before sending its answer: \(error).",
            type: "server_error", code: "backend_failed")
    }

    /// The 503 for a model whose backend could not be started.
    static func startFailed(model: String, _ error: any Error) -> OpenAIError {
        OpenAIError(
            .serviceUnavailable, "Model `\(model)` could not be started: \(error)", type: "server_error",
            code: "backend_failed", retryAfter: 1)
    }

    /// The answer to a request whose client went away before it was answered (nobody
    /// reads it; nginx's 499 names the case in logs).
    static let clientClosed = OpenAIError(
        HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request"), "The client closed the request.",
        type: "invalid_request_error", code: "client_closed")
}
