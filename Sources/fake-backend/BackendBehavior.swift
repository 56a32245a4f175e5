/// What the command line asked the fake backend to do once it is serving requests.
///
/// A plain `Sendable` value handed to ``FakeResponder``; the process-level switches
/// (start delay, signal handling, self-exit) are acted on by ``FakeBackend`` itself.
struct BackendBehavior: Sendable {
    /// Reported as `model` in every response and as the one entry of `GET /v1/models`.
    var modelName: String
    /// `GET /health` answers 503 forever when set.
    var failHealth: Bool
    /// Completion tokens generated per request (`tok0 tok1 …`).
    var tokens: Int
    /// Pause between streamed token chunks, in milliseconds.
    var tokenDelayMilliseconds: Int
    /// Pause before a completion's response head, in milliseconds.
    var answerDelayMilliseconds: Int = 0
    /// When set, the process exits with status 3 after writing this many SSE chunks of a
    /// stream (token chunks and the final usage chunk both count; `[DONE]` does not).
    var crashAfterChunks: Int?
}
