import ConfigLang
import FoundationEssentials
import Synchronization

/// The bodies and header fields of one request and its answer (sensitive headers
/// already redacted); only the request for an answer other than 200.
public struct Capture: Sendable, Equatable {
    /// The activity record's id.
    public var id: Int
    /// The request path.
    public var path: String
    /// The request's header fields, first value per lowercased name.
    public var requestHeaders: [String: String]
    /// The request body.
    public var requestBody: [UInt8]
    /// The answer's header fields.
    public var responseHeaders: [String: String]
    /// The answer's body (up to ``RequestTrace``'s capture limit).
    public var responseBody: [UInt8]

    /// Bytes this capture holds, for the cache's bound.
    var size: Int {
        requestBody.count + responseBody.count + path.utf8.count
            + (requestHeaders.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count })
            + (responseHeaders.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count })
    }

    /// `GET /api/captures/{id}`: `{"id","req_path","req_headers","req_body","resp_headers","resp_body"}`,
    /// bodies in base64.
    public var json: JSONValue {
        .object([
            "id": .integer(id),
            "req_path": .string(path),
            "req_headers": .object(requestHeaders.mapValues(JSONValue.string)),
            "req_body": .string(Data(requestBody).base64EncodedString()),
            "resp_headers": .object(responseHeaders.mapValues(JSONValue.string)),
            "resp_body": .string(Data(responseBody).base64EncodedString()),
        ])
    }
}

/// Recent captures in memory, at most `capacity` bytes in all: the oldest go first.
public final class CaptureCache: Sendable {
    private struct State {
        var captures: [Int: Capture] = [:]
        var order: [Int] = []
        var head = 0
        var bytes = 0
    }

    private let bound: Atomic<Int>
    private let state = Mutex(State())

    /// A cache of `capacity` bytes (`captureBuffer` megabytes).
    public init(capacity: Int) {
        bound = Atomic(capacity)
    }

    /// The bound, in bytes.
    public var capacity: Int { bound.load(ordering: .relaxed) }

    /// Sets the bound (a reloaded `captureBuffer`); a smaller one drops the oldest
    /// captures with the next one kept.
    public func resize(to capacity: Int) {
        bound.store(capacity, ordering: .relaxed)
    }

    /// Whether `capture` can be kept at all (it is not larger than the whole cache).
    func fits(_ capture: Capture) -> Bool { capture.size <= capacity }

    /// Keeps `capture`, dropping the oldest ones until it fits.
    func add(_ capture: Capture) {
        let size = capture.size
        let capacity = self.capacity
        guard size <= capacity else { return }
        state.withLock { state in
            state.captures[capture.id] = capture
            state.order.append(capture.id)
            state.bytes += size
            while state.bytes > capacity, state.head < state.order.count {
                let oldest = state.order[state.head]
                state.head += 1
                if let dropped = state.captures.removeValue(forKey: oldest) { state.bytes -= dropped.size }
            }
            if state.head > 1024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    /// The capture of record `id`, while it is kept.
    public func capture(id: Int) -> Capture? {
        state.withLock { $0.captures[id] }
    }
}
