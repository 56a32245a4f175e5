/// Lenient typed reads from a validated tree: a value of the wrong type reads as nil
/// (the validator has already reported it).
extension YAMLNode {
    /// The scalar as text, with its span.
    var locatedString: Located<String>? {
        guard let text = scalar, !isNull else { return nil }
        return Located(text, at: span)
    }

    /// A plain integer scalar.
    var intValue: Int? {
        guard let text = scalar, isPlainScalar else { return nil }
        return ScalarParsing.integer(text)
    }

    /// A plain integer scalar counting seconds, capped at ``maximumSeconds`` so that
    /// the runtime can turn it into nanoseconds without overflow.
    var secondsValue: Int? {
        intValue.map { min($0, Self.maximumSeconds) }
    }

    /// A hundred years: longer than any timeout or TTL means, far below where
    /// nanoseconds overflow 64 bits (292 years).
    static let maximumSeconds = 100 * 365 * 86_400

    /// A boolean scalar: plain `true`/`false`, or a YAML 1.1 word (`yes`, `off`, …, quoted
    /// or not) that llama-swap's loader reads as a boolean too (SL202 warns about it).
    var boolValue: Bool? {
        guard let text = scalar else { return nil }
        if isPlainScalar, let flag = ScalarParsing.boolean(text) { return flag }
        return ScalarParsing.yaml11Boolean(text)
    }

    /// A list of scalars as located strings (non-scalar items are skipped).
    var locatedStrings: [Located<String>] {
        (items ?? []).compactMap(\.locatedString)
    }

    /// Mapping entries as (located key, value node).
    var locatedEntries: [(key: Located<String>, value: YAMLNode)] {
        (entries ?? []).map { (Located($0.name, at: $0.key.span), $0.value) }
    }

    /// Follows a dotted path of mapping keys.
    func at(_ path: String...) -> YAMLNode? {
        var node: YAMLNode? = self
        for key in path { node = node?[key] }
        return node
    }
}
