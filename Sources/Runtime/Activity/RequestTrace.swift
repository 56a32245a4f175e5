import ConfigLang
import FoundationEssentials
import Synchronization

/// What one model-routed request did, gathered as it goes: the proxy core tells it the
/// model, the lock changes, the admission and the answer's head; the relay feeds it the
/// answer's body chunks (their tokens are read as they pass, ``AnswerTokenParser``);
/// the first ``finish(status:)`` makes the ``ActivityRecord`` and hands it to the
/// tracker. A trace dropped unfinished finishes as a 499 (no answer).
public final class RequestTrace: Sendable {
    /// Largest response body kept in a capture.
    static let captureBodyLimit = 1 << 20

    /// The id: in-flight id, record id and `X-Swap-Request-Id`.
    public let id: Int
    private let tracker: ActivityTracker
    private let captures: CaptureCache?
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var entry: InFlightEntry
        var record: ActivityRecord
        var parser: AnswerTokenParser?
        var lastUpsert: ContinuousClock.Instant
        var finished = false
        var requestBody: [UInt8]?
        var responseBody: [UInt8]?
    }

    /// Starts the trace of a request that arrived now, registering it as in flight.
    /// `sessionHeaders` are tried in order for the session id; `captures` keeps its
    /// bodies when capturing is on; `cancel` ends the request (`/api/inflight/{id}/cancel`).
    public init(
        tracker: ActivityTracker, method: String, path: String, headers: [(name: String, value: String)],
        remoteAddress: String?, sessionHeaders: [String], captures: CaptureCache?,
        cancel: (@Sendable () -> Void)?
    ) {
        let now = clock.now
        let timestamp = Date()
        var firstValues: [String: String] = [:]
        for (name, value) in headers where firstValues[name.lowercased()] == nil {
            firstValues[name.lowercased()] = value
        }
        let session = sessionHeaders.lazy.compactMap { firstValues[$0.lowercased()] }.first { !$0.isEmpty }
        let forwarded = firstValues["x-forwarded-for"]?.split(separator: ",").first.map {
            String($0.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        }
        let remote = forwarded ?? firstValues["x-real-ip"] ?? remoteAddress ?? ""
        let shown = Dictionary(
            uniqueKeysWithValues: firstValues.map { ($0.key, SensitiveHeaders.shown($0.key, $0.value)) })
        var started: InFlightEntry?
        self.tracker = tracker
        self.captures = captures
        self.id = tracker.begin(
            { id in
                let entry = InFlightEntry(
                    id: id, timestamp: timestamp, model: "", path: path, method: method, requestHeaders: shown,
                    remoteIP: remote, responseHeaders: [:], responseBytes: 0, state: .queued, started: now)
                started = entry
                return entry
            }, cancel: cancel)
        let record = ActivityRecord(
            id: id, timestamp: timestamp, model: "", path: path, status: 0, contentType: "", duration: .zero,
            sessionID: session)
        state = Mutex(State(entry: started!, record: record, lastUpsert: now))
    }

    deinit {
        finish(status: 499)
    }

    /// The model the request resolved to, with its metadata.
    public func resolved(model: String, metadata: JSONValue?) {
        let entry = state.withLock { state in
            state.entry.model = model
            state.record.model = model
            state.record.metadata = metadata
            return state.entry
        }
        tracker.update(entry)
    }

    /// The changes the model's locks made to the body.
    public func locked(_ changes: [LockChange]) {
        state.withLock { $0.record.lockChanges = changes }
    }

    /// The lock changes told so far.
    public var lockChanges: [LockChange] {
        state.withLock { $0.record.lockChanges }
    }

    /// The body the client sent, kept for a capture.
    public func received(body: [UInt8]) {
        guard captures != nil else { return }
        state.withLock { $0.requestBody = body }
    }

    /// The request was admitted now, after waiting since it arrived; `effect` is what
    /// admitting it did.
    public func admitted(started: Bool, evicted: [String]) {
        let now = clock.now
        let entry = state.withLock { state in
            state.record.queued = now - state.entry.started
            state.record.startCause = !evicted.isEmpty ? .swap(evicted: evicted) : started ? .start : .none
            state.entry.state = .sending
            return state.entry
        }
        tracker.update(entry)
    }

    /// The answer's head: its status, content type and header fields.
    public func head(status: Int, headers: [(name: String, value: String)]) {
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? ""
        let entry = state.withLock { state -> InFlightEntry? in
            guard !state.finished else { return nil }
            state.record.status = status
            state.record.contentType = contentType
            state.parser = AnswerTokenParser(status: status, contentType: contentType)
            var shown: [String: String] = [:]
            for (name, value) in headers where shown[name.lowercased()] == nil {
                shown[name.lowercased()] = SensitiveHeaders.shown(name, value)
            }
            state.entry.responseHeaders = shown
            state.entry.state = .streaming
            if captures != nil, status == 200 { state.responseBody = [] }
            return state.entry
        }
        if let entry { tracker.update(entry) }
    }

    /// A chunk of the answer's body passed to the client.
    public func passed(_ bytes: some Collection<UInt8>) {
        let now = clock.now
        let upsert = state.withLock { state -> InFlightEntry? in
            guard !state.finished else { return nil }
            if state.record.timeToFirstByte == nil, !bytes.isEmpty {
                state.record.timeToFirstByte = now - state.entry.started
            }
            state.parser?.consume(bytes)
            state.entry.responseBytes += bytes.count
            if var body = state.responseBody {
                state.responseBody = nil
                if body.count + bytes.count <= Self.captureBodyLimit {
                    body.append(contentsOf: bytes)
                    state.responseBody = body
                }
            }
            guard now - state.lastUpsert >= .milliseconds(250) else { return nil }
            state.lastUpsert = now
            return state.entry
        }
        if let upsert { tracker.update(upsert) }
    }

    /// The request ended with `status` as the client got it (only the first call counts):
    /// the record is made and handed to the tracker's observers.
    public func finish(status: Int) {
        let now = clock.now
        let done = state.withLock { state -> (ActivityRecord, Capture?)? in
            guard !state.finished else { return nil }
            state.finished = true
            var record = state.record
            if record.status == 0 || status != 200 { record.status = status }
            let wall = now - state.entry.started
            record.duration = wall
            if var parser = state.parser {
                let result = parser.finish()
                record.tokens = result.tokens
                if let reported = result.reportedDuration, reported > wall { record.duration = reported }
                record.errorMessage = result.errorMessage
            }
            if record.status != 200, record.errorMessage == nil {
                record.errorMessage = "\(record.status) \(Self.reason(record.status))"
            }
            var capture: Capture?
            if let captures, let body = state.requestBody {
                capture = Capture(
                    id: record.id, path: record.path, requestHeaders: state.entry.requestHeaders, requestBody: body,
                    responseHeaders: record.status == 200 ? state.entry.responseHeaders : [:],
                    responseBody: record.status == 200 ? state.responseBody ?? [] : [])
                record.hasCapture = captures.fits(capture!)
            }
            state.parser = nil
            state.responseBody = nil
            state.requestBody = nil
            return (record, capture)
        }
        guard let (record, capture) = done else { return }
        if let capture, record.hasCapture { captures?.add(capture) }
        tracker.finish(record)
    }

    /// The reason phrase of the statuses swap answers with.
    static func reason(_ status: Int) -> String {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Payload Too Large"
        case 429: "Too Many Requests"
        case 499: "Client Closed Request"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status"
        }
    }
}
