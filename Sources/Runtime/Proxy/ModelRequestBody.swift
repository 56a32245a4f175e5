import ConfigLang

/// Reads the `model` of a buffered JSON request body and rewrites the body with the
/// model's parameter locks and `useModelName` applied.
///
/// A body that needs no change is forwarded byte for byte; a changed one is
/// re-serialised (compact, sorted keys).
public struct ModelRequestBody: Sendable {
    /// The `model` the client asked for, if it sent one as a string.
    public let model: String?
    /// The body as received.
    private let bytes: [UInt8]
    /// The parsed body.
    private let parsed: JSONValue

    /// Checks `bytes`; throws a 400 error when they are not a JSON object.
    public init(bytes: [UInt8]) throws(OpenAIError) {
        self.bytes = bytes
        do {
            parsed = try JSONValue(parsing: bytes)
        } catch {
            throw OpenAIError.badRequest("The request body is not valid JSON: \(error.message) (byte \(error.offset)).")
        }
        guard case .object(let members) = parsed else {
            throw OpenAIError.badRequest("The request body must be a JSON object.")
        }
        if members["model"] != nil, TopLevelKeys.of(bytes).count(where: { $0 == "model" }) > 1 {
            throw OpenAIError.badRequest("The request body names `model` twice; send one `model` key.")
        }
        if case .string(let name)? = members["model"] { model = name } else { model = nil }
    }

    /// The bytes to send upstream: the body as received when nothing changes, else
    /// with `locks` applied and `model` replaced by `useModelName` when given.
    public func rewritten(locks: ParameterLocks, useModelName: String?) -> [UInt8] {
        guard !locks.isEmpty || useModelName != nil else { return bytes }
        var body = locks.apply(to: parsed)
        if let useModelName, case .object(var members) = body {
            members["model"] = .string(useModelName)
            body = .object(members)
        }
        return Array(body.serialized().utf8)
    }

    /// The keys `locks` changes in this body, with the client's and the forwarded value
    /// (JSON text, nil when absent) and where each lock was declared (`provenance`).
    public func lockChanges(locks: ParameterLocks, provenance: [String: [LockOrigin]]) -> [LockChange] {
        guard !locks.isEmpty, case .object(let before) = parsed, case .object(let after) = locks.apply(to: parsed)
        else { return [] }
        let keys = Set(locks.strip).union(locks.defaults.keys).union(locks.set.keys).union(locks.clamp.keys)
        return keys.subtracting([ParameterLocks.protectedKey]).sorted().compactMap { key -> LockChange? in
            let sent = before[key]
            let forwarded = after[key]
            guard sent != forwarded else { return nil }
            let action: String
            if forwarded == nil {
                action = "strip"
            } else if locks.set[key] != nil {
                action = "set"
            } else if locks.clamp[key] != nil {
                action = "clamp"
            } else {
                action = "default"
            }
            let origin = provenance[key]?.last.map { "\($0.span.file):\($0.span.start.line):\($0.span.start.column)" }
            return LockChange(
                key: key, sent: sent?.serialized(), forwarded: forwarded?.serialized(), action: action,
                declaredAt: origin)
        }
    }
}
