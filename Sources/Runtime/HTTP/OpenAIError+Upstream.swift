/// How a failed exchange with a backend or peer looks to the client; the same for
/// every path a request can take through swap-server.
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
}
