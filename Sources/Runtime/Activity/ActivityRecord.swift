import ConfigLang
import FoundationEssentials

/// The token counts and speeds one answer reported (OpenAI/Anthropic `usage`, llama.cpp
/// `timings`, vLLM `metrics`). -1 means "not reported", as in llama-swap's records.
public struct TokenUsage: Sendable, Equatable {
    /// Prompt tokens.
    public var input: Int
    /// Generated tokens.
    public var output: Int
    /// Prompt tokens served from the backend's cache.
    public var cached: Int
    /// Tokens a draft model proposed.
    public var draft: Int
    /// Draft tokens the main model accepted.
    public var draftAccepted: Int
    /// Prompt processing speed, tokens per second.
    public var promptPerSecond: Double
    /// Generation speed, tokens per second.
    public var tokensPerSecond: Double

    /// Counts with every field given or "not reported".
    public init(
        input: Int = -1, output: Int = -1, cached: Int = -1, draft: Int = -1, draftAccepted: Int = -1,
        promptPerSecond: Double = -1, tokensPerSecond: Double = -1
    ) {
        self.input = input
        self.output = output
        self.cached = cached
        self.draft = draft
        self.draftAccepted = draftAccepted
        self.promptPerSecond = promptPerSecond
        self.tokensPerSecond = tokensPerSecond
    }
}

/// What admitting a request did to the models: nothing (the model was ready), a cold
/// start, or a swap that stopped other models first.
public enum ModelStartCause: Sendable, Equatable {
    /// The model was already running.
    case none
    /// The request started the model; nothing had to stop.
    case start
    /// The request started the model after stopping `evicted`.
    case swap(evicted: [String])
}

/// One change a lock made to a request body: the key, what the client sent (nil:
/// absent), what went upstream (nil: stripped), and where the lock was declared.
public struct LockChange: Sendable, Equatable {
    /// The body key (a dotted path for nested keys).
    public var key: String
    /// The client's value as JSON text; nil when the client did not send the key.
    public var sent: String?
    /// The value forwarded as JSON text; nil when the lock stripped the key.
    public var forwarded: String?
    /// `set`, `strip` or `clamp`.
    public var action: String
    /// Where the lock was declared (`file:line:col`), when known.
    public var declaredAt: String?

    /// A change with every field given.
    public init(key: String, sent: String?, forwarded: String?, action: String, declaredAt: String?) {
        self.key = key
        self.sent = sent
        self.forwarded = forwarded
        self.action = action
        self.declaredAt = declaredAt
    }
}

/// One finished model-routed request: llama-swap's activity fields plus what only swap
/// knows (time to first byte, queue time, the start or swap it caused, the session, the
/// locks that changed its body). The store, `/api/events` and `/metrics` all read this.
public struct ActivityRecord: Sendable, Equatable {
    /// The store's row id (0 until stored).
    public var id: Int
    /// When the request arrived.
    public var timestamp: Date
    /// The resolved model id ("" when no model was resolved).
    public var model: String
    /// The request path (`/v1/chat/completions`, or the `/upstream/<model>/…` path).
    public var path: String
    /// The status the client got.
    public var status: Int
    /// The answer's `Content-Type`.
    public var contentType: String
    /// Token counts and speeds, as reported.
    public var tokens: TokenUsage
    /// From arrival to the end of the answer.
    public var duration: Duration
    /// From arrival to the first byte of the answer's body (nil: no body byte).
    public var timeToFirstByte: Duration?
    /// Time spent waiting for admission (start, swap, queue).
    public var queued: Duration
    /// What admission did to the models.
    public var startCause: ModelStartCause
    /// The client's session id, from the first `ui.activity.session_id` header present.
    public var sessionID: String?
    /// The changes the model's locks made to the body.
    public var lockChanges: [LockChange]
    /// Whether a capture of the bodies is kept.
    public var hasCapture: Bool
    /// The error's message, for a status other than 200.
    public var errorMessage: String?
    /// The model's metadata and the request's (selector, priority), as JSON.
    public var metadata: JSONValue?

    /// A record with every field given.
    public init(
        id: Int = 0, timestamp: Date, model: String, path: String, status: Int, contentType: String,
        tokens: TokenUsage = TokenUsage(), duration: Duration, timeToFirstByte: Duration? = nil,
        queued: Duration = .zero, startCause: ModelStartCause = .none, sessionID: String? = nil,
        lockChanges: [LockChange] = [], hasCapture: Bool = false, errorMessage: String? = nil,
        metadata: JSONValue? = nil
    ) {
        self.id = id
        self.timestamp = timestamp
        self.model = model
        self.path = path
        self.status = status
        self.contentType = contentType
        self.tokens = tokens
        self.duration = duration
        self.timeToFirstByte = timeToFirstByte
        self.queued = queued
        self.startCause = startCause
        self.sessionID = sessionID
        self.lockChanges = lockChanges
        self.hasCapture = hasCapture
        self.errorMessage = errorMessage
        self.metadata = metadata
    }
}

/// Receives each finished request's record: the activity store, the event stream and
/// the metrics. Called once per request, off the request's path (must not block).
public protocol ActivityObserver: Sendable {
    /// `record` finished.
    func finished(_ record: ActivityRecord)
}
