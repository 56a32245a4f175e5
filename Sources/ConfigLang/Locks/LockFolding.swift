/// Folds parameter locks level by level (global → group → model → the requested
/// `setParamsByID` entry): for one parameter the later level wins, unless an earlier
/// level declared it `final`, in which case touching it again is an error.
struct LockFolding {
    /// One level's locks, with a label for provenance ("group `coders`").
    struct Level {
        var label: String
        var filters: FiltersConfig
    }

    enum ValueLock {
        case strip
        case defaulted(JSONValue)
        case set(JSONValue)
    }

    private(set) var values: [String: (lock: ValueLock, origin: LockOrigin)] = [:]
    private(set) var clamps: [String: (range: ClampRange, origin: LockOrigin)] = [:]
    private(set) var finals: [String: LockOrigin] = [:]
    var diagnostics: [Diagnostic] = []

    /// Adds a level on top of what is folded so far.
    mutating func add(_ level: Level) {
        let filters = level.filters
        // Parameters both set and stripped at this level; usually there are none to look for.
        let stripped =
            filters.stripParams.isEmpty || filters.setParams.isEmpty
            ? [:] : Dictionary(filters.stripParams.map { ($0.value, $0.span) }, uniquingKeysWith: { a, _ in a })
        for (key, _) in filters.setParams {
            if let strip = stripped[key.value] {
                diagnostics.append(
                    Diagnostic(
                        .setStripConflict,
                        "`\(key.value)` is both set and stripped in the same `filters`; swap sends the `setParams` "
                            + "value (as llama-swap does: it strips, then sets)",
                        at: strip, related: [RelatedSpan(key.span, "set here")],
                        help: "keep either the `setParams` entry or the `stripParams` entry"))
            }
        }
        for name in filters.stripParams where admit(name, kind: "strip", level: level.label) {
            keep(.strip, for: name, kind: "strip", level: level.label)
        }
        for (key, value) in filters.defaultParams where admit(key, kind: "default", level: level.label) {
            keep(.defaulted(JSONValue(yaml: value)), for: key, kind: "default", level: level.label)
        }
        // After the strips, so a parameter both stripped and set here is set.
        for (key, value) in filters.setParams where admit(key, kind: "set", level: level.label) {
            keep(.set(JSONValue(yaml: value)), for: key, kind: "set", level: level.label)
        }
        for (key, value) in filters.clampParams where admit(key, kind: "clamp", level: level.label) {
            if let range = clampRange(key, value) {
                clamps[key.value] = (range, LockOrigin(kind: "clamp", level: level.label, span: key.span))
            }
        }
        for name in filters.final where finals[name.value] == nil {
            finals[name.value] = LockOrigin(kind: "final", level: level.label, span: name.span)
        }
    }

    /// Adds the parameters of a `setParamsByID` entry as a last `set` level.
    mutating func addRequestedID(_ key: Located<String>, params: YAMLNode) {
        let label = "setParamsByID `\(key.value)`"
        for (name, value) in params.locatedEntries where admit(name, kind: "set", level: label) {
            keep(.set(JSONValue(yaml: value)), for: name, kind: "set", level: label)
        }
    }

    /// Records a value lock admitted for `name`; nothing (not even the JSON value) is
    /// built when only the diagnostics are wanted.
    private mutating func keep(
        _ lock: @autoclosure () -> ValueLock, for name: Located<String>, kind: String, level: String
    ) {
        values[name.value] = (lock(), LockOrigin(kind: kind, level: level, span: name.span))
    }

    /// The effective locks.
    var locks: ParameterLocks {
        var strip: [String] = []
        var defaults: [String: JSONValue] = [:]
        var set: [String: JSONValue] = [:]
        set.reserveCapacity(values.count)
        for (key, entry) in values {
            switch entry.lock {
            case .strip: strip.append(key)
            case .defaulted(let value): defaults[key] = value
            case .set(let value): set[key] = value
            }
        }
        return ParameterLocks(
            strip: strip.sorted(), defaults: defaults, set: set, clamp: clamps.mapValues(\.range))
    }

    /// Where each effective lock came from.
    var provenance: [String: [LockOrigin]] {
        var result: [String: [LockOrigin]] = [:]
        result.reserveCapacity(values.count + clamps.count + finals.count)
        for (key, entry) in values { result[key, default: []].append(entry.origin) }
        for (key, entry) in clamps { result[key, default: []].append(entry.origin) }
        for (key, origin) in finals { result[key, default: []].append(origin) }
        return result
    }

    private mutating func admit(_ name: Located<String>, kind: String, level: String) -> Bool {
        if name.value == "model" {
            diagnostics.append(
                Diagnostic(
                    .protectedParameter,
                    "`model` cannot be locked (\(kind)); swap ignores this entry, as llama-swap does for `stripParams`",
                    at: name.span,
                    help: "remove the entry; use `useModelName` to change the model name sent upstream"))
            return false
        }
        if let final = finals[name.value], final.level != level {
            diagnostics.append(
                Diagnostic(
                    .finalOverridden, "`\(name.value)` is final in \(final.level) and cannot be changed by \(level)",
                    at: name.span, related: [RelatedSpan(final.span, "declared final here")],
                    help: "remove this \(kind) entry, or drop `\(name.value)` from `final` in \(final.level)"))
            return false
        }
        return true
    }

    private mutating func clampRange(_ key: Located<String>, _ node: YAMLNode) -> ClampRange? {
        func bound(_ name: String) -> (Double?, Bool) {
            guard let child = node[name] else { return (nil, true) }
            guard let text = child.scalar, child.isPlainScalar, let value = ScalarParsing.number(text) else {
                return (nil, false)
            }
            return (value, true)
        }
        let (min, minOK) = bound("min")
        let (max, maxOK) = bound("max")
        guard minOK, maxOK, min != nil || max != nil else {
            diagnostics.append(
                Diagnostic(
                    .invalidClamp, "clamp for `\(key.value)` needs a numeric `min`, `max` or both", at: key.span,
                    help: "write for example `\(key.value): {min: 0, max: 1}`"))
            return nil
        }
        if let min, let max, min > max {
            diagnostics.append(
                Diagnostic(
                    .invalidClamp, "clamp for `\(key.value)` has `min` above `max`", at: key.span,
                    help: "swap the two bounds"))
            return nil
        }
        return ClampRange(min: min, max: max)
    }
}
