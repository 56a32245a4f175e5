import ConfigLang
import FoundationEssentials

/// The JSON shapes of activity records: llama-swap's `ActivityLogEntry` fields plus
/// swap's (`ttfb_ms`, `queued_ms`, `start_cause`, `evicted`, `session_id`,
/// `lock_changes`).
public enum ActivityJSON {
    /// Whole milliseconds of `duration`.
    public static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The `/api/metrics/activity` entry of `record`.
    public static func entry(_ record: ActivityRecord) -> JSONValue {
        let tokens = record.tokens
        let cause: String
        var evicted: [String] = []
        switch record.startCause {
        case .none: cause = "none"
        case .start: cause = "start"
        case .swap(let models):
            cause = "swap"
            evicted = models
        }
        return .object([
            "id": .integer(record.id),
            "timestamp": .string(RFC3339.string(record.timestamp)),
            "model": .string(record.model),
            "req_path": .string(record.path),
            "resp_content_type": .string(record.contentType),
            "resp_status_code": .integer(record.status),
            "tokens": .object([
                "cache_tokens": .integer(tokens.cached),
                "draft_tokens": .integer(tokens.draft),
                "draft_acc_tokens": .integer(tokens.draftAccepted),
                "input_tokens": .integer(tokens.input),
                "output_tokens": .integer(tokens.output),
                "prompt_per_second": .double(tokens.promptPerSecond),
                "tokens_per_second": .double(tokens.tokensPerSecond),
            ]),
            "duration_ms": .integer(milliseconds(record.duration)),
            "has_capture": .bool(record.hasCapture),
            "error_msg": .string(record.errorMessage ?? ""),
            "metadata": record.metadata ?? .object([:]),
            "ttfb_ms": record.timeToFirstByte.map { .integer(milliseconds($0)) } ?? .null,
            "queued_ms": .integer(milliseconds(record.queued)),
            "start_cause": .string(cause),
            "evicted": .array(evicted.map(JSONValue.string)),
            "session_id": record.sessionID.map(JSONValue.string) ?? .null,
            "lock_changes": lockChanges(record.lockChanges),
        ])
    }

    /// `[{key, sent, forwarded, action, declared_at}]`.
    public static func lockChanges(_ changes: [LockChange]) -> JSONValue {
        .array(
            changes.map { change in
                .object([
                    "key": .string(change.key),
                    "sent": change.sent.map(JSONValue.string) ?? .null,
                    "forwarded": change.forwarded.map(JSONValue.string) ?? .null,
                    "action": .string(change.action),
                    "declared_at": change.declaredAt.map(JSONValue.string) ?? .null,
                ])
            })
    }

    /// `X-Swap-Lock-Changes`: the compact lock-changes array with every non-ASCII
    /// character escaped, so it is a valid header value.
    public static func lockChangesHeader(_ changes: [LockChange]) -> String {
        var text = ""
        for scalar in lockChanges(changes).serialized().unicodeScalars {
            if scalar.isASCII, scalar.value >= 0x20, scalar.value != 0x7F {
                text.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return text
    }
}
