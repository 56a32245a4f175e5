/// How scheduling failures look to a client.
extension SchedulerError {
    /// The OpenAI-shaped error for this failure of a request for `model`.
    func openAIError(model: String) -> OpenAIError {
        switch self {
        case .overLimit(let retryAfter):
            OpenAIError(
                .tooManyRequests,
                "Model `\(model)` is serving as many requests as its concurrencyLimit allows; \(description)",
                type: "rate_limit_error", code: "concurrency_limit", retryAfter: retryAfter)
        case .backendFailed(let message):
            OpenAIError(.serviceUnavailable, message, type: "server_error", code: "backend_failed", retryAfter: 1)
        case .unknownModel(let name):
            OpenAIError.unknownModel(name)
        }
    }
}
