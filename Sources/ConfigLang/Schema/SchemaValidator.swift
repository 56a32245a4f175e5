/// Checks a syntax tree against a ``SchemaType``: unknown keys (warnings with a
/// did-you-mean), wrong types and out-of-range values (errors at the value), missing
/// required keys, and keys accepted only for compatibility.
///
/// Scalars that still contain a `${macro}` reference are not type-checked here: their
/// type is known only after expansion, which checks them again.
public struct SchemaValidator: Sendable {
    /// Problems found so far.
    public private(set) var diagnostics: [Diagnostic] = []

    /// When set, only scalars at these spans are checked and key-level problems
    /// (unknown, missing, no effect) are not reported: the second pass over a tree whose
    /// macros were expanded, which must check exactly the values that held macros.
    public var onlyScalarsAt: Set<Span>?

    /// With ``onlyScalarsAt``: the spans of the lists and mappings that hold those
    /// scalars; any other collection is skipped without being walked.
    public var onlyCollectionsAt: Set<Span>?

    /// Creates a validator.
    public init(onlyScalarsAt: Set<Span>? = nil, onlyCollectionsAt: Set<Span>? = nil) {
        self.onlyScalarsAt = onlyScalarsAt
        self.onlyCollectionsAt = onlyCollectionsAt
    }

    /// The path of the value being checked, as segments (`models`, `m1`, `ttl`, `[0]`);
    /// joined into text only when a message needs it.
    private var segments: [Segment] = []

    /// One step of the path: a key, or a list position (kept as a number until printed).
    private enum Segment: Sendable {
        case key(String)
        case index(Int)
    }

    private var path: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .index(let index): text += "[\(index)]"
            case .key(let key): text += text.isEmpty ? key : "." + key
            }
        }
        return text
    }

    /// The schema check of a whole config's tree.
    public static func validateConfig(_ root: YAMLNode) -> [Diagnostic] {
        var validator = SchemaValidator()
        validator.validate(root, as: .object(ConfigSchema.root), path: "")
        return validator.diagnostics
    }

    /// Validates `node` as the value at `path` (dotted, for messages).
    public mutating func validate(_ node: YAMLNode, as type: SchemaType, path: String) {
        let saved = segments
        segments = path.isEmpty ? [] : [.key(path)]
        check(node, as: type)
        segments = saved
    }

    private mutating func check(_ node: YAMLNode, as type: SchemaType) {
        if node.isNull { return }
        if let collections = onlyCollectionsAt, node.scalar == nil, !collections.contains(node.span) { return }
        switch type {
        case .any:
            return
        case .object(let object):
            validateObject(node, object)
        case .map(let valueType):
            guard let entries = node.entries else { return mismatch(node, type) }
            for entry in entries {
                segments.append(.key(entry.name))
                check(entry.value, as: valueType)
                segments.removeLast()
            }
        case .list(let itemType):
            guard let items = node.items else { return mismatch(node, type) }
            for (index, item) in items.enumerated() {
                segments.append(.index(index))
                check(item, as: itemType)
                segments.removeLast()
            }
        case .oneOf(let options):
            for option in options {
                var trial = SchemaValidator(onlyScalarsAt: onlyScalarsAt, onlyCollectionsAt: onlyCollectionsAt)
                trial.segments = segments
                trial.check(node, as: option)
                if !trial.diagnostics.hasErrors {
                    diagnostics += trial.diagnostics
                    return
                }
            }
            if let best = options.first(where: { Self.shapeMatches(node, $0) }) {
                check(node, as: best)
            } else {
                mismatch(node, type)
            }
        case .string, .integer, .number, .boolean, .duration, .choice:
            validateScalar(node, type)
        }
    }

    /// True when the node has the right shape (scalar, list, mapping) for `type`.
    static func shapeMatches(_ node: YAMLNode, _ type: SchemaType) -> Bool {
        switch (node.kind, type) {
        case (_, .any): true
        case (.mapping, .object), (.mapping, .map): true
        case (.sequence, .list): true
        case (.scalar, .string), (.scalar, .integer), (.scalar, .number), (.scalar, .boolean),
            (.scalar, .duration), (.scalar, .choice):
            true
        case (_, .oneOf(let options)): options.contains { shapeMatches(node, $0) }
        default: false
        }
    }

    private mutating func validateObject(_ node: YAMLNode, _ object: ObjectSchema) {
        guard let entries = node.entries else { return mismatch(node, .object(object)) }
        for entry in entries {
            // By position: copying the field schema for every key cost more than the check.
            guard let position = object.position(of: entry.name) else {
                if onlyScalarsAt != nil { continue }
                let suggestion = Suggestion.closest(to: entry.name, among: object.fields.map(\.key))
                diagnostics.append(
                    Diagnostic(
                        .unknownKey, "unknown key `\(entry.name)` in \(object.name); it has no effect",
                        at: entry.key.span, related: entry.key.reference.map { [RelatedSpan($0, "merged here")] } ?? [],
                        help: suggestion.map { "did you mean `\($0)`?" }
                            ?? "remove it, or check the spelling against `swap-lint schema`"))
                continue
            }
            if onlyScalarsAt == nil {
                let key = path.isEmpty ? entry.name : path + "." + entry.name
                switch object.fields[position].status {
                case .active: break
                case .noEffectYet:
                    diagnostics.append(
                        Diagnostic(
                            .notImplemented, "`\(key)` is accepted for compatibility; has no effect yet",
                            at: entry.key.span, help: "swap reads this key but does not act on it in this version"))
                case .fixedInSwap(let behaviour):
                    diagnostics.append(
                        Diagnostic(
                            .notImplemented, "`\(key)` is accepted for compatibility; in swap, " + behaviour,
                            at: entry.key.span, help: "remove the key, or suppress SL206 on this line"))
                }
            }
            segments.append(.key(entry.name))
            check(entry.value, as: object.fields[position].type)
            segments.removeLast()
        }
        guard onlyScalarsAt == nil else { return }
        for index in object.fields.indices where object.fields[index].required {
            let field = object.fields[index]
            if node.entry(field.key) == nil {
                diagnostics.append(
                    Diagnostic(
                        .missingRequired, "\(object.name) is missing the required key `\(field.key)`",
                        at: headSpan(node), help: "add `\(field.key):` (\(field.summary))"))
            }
        }
    }

    /// The first line of a collection's span, so a caret does not cover a whole block.
    private func headSpan(_ node: YAMLNode) -> Span {
        let span = node.reference ?? node.span
        if span.start.line == span.end.line { return span }
        return span.with(start: span.start, end: span.start)
    }

    private mutating func validateScalar(_ node: YAMLNode, _ type: SchemaType) {
        if let only = onlyScalarsAt, !only.contains(node.span) { return }
        guard let text = node.scalar else { return mismatch(node, type) }
        if text.containsBytes("${") { return }
        let plain = node.isPlainScalar
        switch type {
        case .string:
            return
        case .integer(let min, let max):
            guard plain, let value = ScalarParsing.integer(text) else { return mismatch(node, type) }
            checkRange(node, Double(value), min.map(Double.init), max.map(Double.init))
        case .number(let min, let max):
            guard plain, let value = ScalarParsing.number(text) else { return mismatch(node, type) }
            checkRange(node, value, min, max)
        case .boolean:
            guard plain, ScalarParsing.boolean(text) != nil else {
                if let flag = ScalarParsing.yaml11Boolean(text) {
                    // llama-swap's YAML library reads these words into a boolean field.
                    diagnostics.append(
                        Diagnostic(
                            .typeMismatch,
                            "`\(path)` is read as `\(flag)` from the YAML 1.1 word `\(text)`, as llama-swap reads it",
                            at: node.span, severity: .warning,
                            help: "write `\(flag)`: other YAML tools read `\(text)` as a string"))
                    return
                }
                diagnostics.append(
                    Diagnostic(
                        .typeMismatch, "`\(path)` expects a boolean (`true` or `false`), found \(describe(node))",
                        at: node.span, help: "write `true` or `false`"))
                return
            }
        case .duration:
            guard ScalarParsing.duration(text) != nil else {
                diagnostics.append(
                    Diagnostic(
                        .invalidDuration, "`\(path)` expects a duration such as `5s` or `1h30m`, found `\(text)`",
                        at: node.span, help: "use a number followed by a unit: ms, s, m or h (for example `15s`)"))
                return
            }
        case .choice(let options):
            guard options.contains(text) else {
                let suggestion = Suggestion.closest(to: text, among: options)
                diagnostics.append(
                    Diagnostic(
                        .invalidValue, "`\(path)` must be \(type.phrase); found `\(text)`", at: node.span,
                        help: suggestion.map { "did you mean `\($0)`?" } ?? "use one of the listed values"))
                return
            }
        default:
            return
        }
    }

    private mutating func checkRange(_ node: YAMLNode, _ value: Double, _ min: Double?, _ max: Double?) {
        func format(_ bound: Double) -> String {
            bound == bound.rounded() && abs(bound) < 1e15 ? String(Int(bound)) : String(bound)
        }
        if let min, value < min {
            diagnostics.append(
                Diagnostic(
                    .outOfRange, "`\(path)` must be at least \(format(min)), found \(node.scalar ?? "")",
                    at: node.span, help: "use a value of \(format(min)) or more"))
        } else if let max, value > max {
            diagnostics.append(
                Diagnostic(
                    .outOfRange, "`\(path)` must be at most \(format(max)), found \(node.scalar ?? "")",
                    at: node.span, help: "use a value of \(format(max)) or less"))
        }
    }

    private func describe(_ node: YAMLNode) -> String {
        if let text = node.scalar {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "\(node.kindDescription) `\(shown)`"
        }
        return node.kindDescription
    }

    private mutating func mismatch(_ node: YAMLNode, _ type: SchemaType) {
        var help = "write \(type.phrase) here"
        if case .integer = type, node.style == .singleQuoted || node.style == .doubleQuoted,
            let text = node.scalar, ScalarParsing.integer(text) != nil
        {
            help = "remove the quotes: a quoted value is a string"
        } else if case .number = type, node.style == .singleQuoted || node.style == .doubleQuoted,
            let text = node.scalar, ScalarParsing.number(text) != nil
        {
            help = "remove the quotes: a quoted value is a string"
        }
        diagnostics.append(
            Diagnostic(
                .typeMismatch, "`\(path)` expects \(type.phrase), found \(describe(node))",
                at: headSpan(node), related: node.reference.map { [RelatedSpan($0, "brought in here")] } ?? [],
                help: help))
    }
}
