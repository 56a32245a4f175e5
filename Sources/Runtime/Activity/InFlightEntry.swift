import ConfigLang
import FoundationEssentials

/// A request the proxy is working on, as `/api/events` shows it (llama-swap's in-flight
/// entry plus `queued` and `state`).
public struct InFlightEntry: Sendable, Equatable {
    /// Where the request is.
    public enum State: String, Sendable {
        /// Waiting for admission (a start, a swap, a queue).
        case queued
        /// Sent to the backend; no answer yet.
        case sending
        /// The answer's body is passing.
        case streaming
    }

    /// The id (the activity record's id once it is stored).
    public var id: Int
    /// When the request arrived.
    public var timestamp: Date
    /// The model, once resolved ("" before).
    public var model: String
    /// The request path.
    public var path: String
    /// The method.
    public var method: String
    /// The request's header fields, first value per name, sensitive ones redacted.
    public var requestHeaders: [String: String]
    /// The client's address (`X-Forwarded-For`, `X-Real-IP`, else the socket's).
    public var remoteIP: String
    /// The answer's header fields, once its head passed.
    public var responseHeaders: [String: String]
    /// Body bytes passed to the client so far.
    public var responseBytes: Int
    /// Where the request is.
    public var state: State
    /// The arrival instant (for `elapsed_ms`).
    var started: ContinuousClock.Instant

    /// The entry as `/api/events` sends it, with `elapsed_ms` measured at `now`.
    public func json(now: ContinuousClock.Instant = .now) -> JSONValue {
        let elapsed = now - started
        return .object([
            "id": .string(String(id)),
            "timestamp": .string(RFC3339.string(timestamp)),
            "model": .string(model),
            "req_path": .string(path),
            "method": .string(method),
            "req_headers": .object(requestHeaders.mapValues(JSONValue.string)),
            "remote_ip": .string(remoteIP),
            "resp_headers": .object(responseHeaders.mapValues(JSONValue.string)),
            "resp_bytes": .integer(responseBytes),
            "elapsed_ms": .integer(
                Int(elapsed.components.seconds) * 1000 + Int(elapsed.components.attoseconds / 1_000_000_000_000_000)),
            "queued": .bool(state == .queued),
            "state": .string(state.rawValue),
        ])
    }
}

/// A change to the set of requests in flight, for `/api/events`.
public enum InFlightEvent: Sendable {
    /// A request arrived or moved on (its head passed, bytes passed).
    case upsert(InFlightEntry)
    /// A request ended.
    case remove(id: Int)
}

/// Header names whose values never leave the server (`[REDACTED]` in events and captures).
public enum SensitiveHeaders {
    /// Lowercased names.
    public static let names: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
    ]

    /// `value`, or `[REDACTED]` for a sensitive `name`.
    public static func shown(_ name: String, _ value: String) -> String {
        names.contains(name.lowercased()) ? "[REDACTED]" : value
    }
}
