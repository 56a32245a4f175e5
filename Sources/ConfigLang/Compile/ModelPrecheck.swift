/// Each model's schema check and decoding, done while the file is still being parsed.
///
/// On a large file the composing thread spends much of its time waiting for libyaml's
/// next events. It uses that time to check and decode every model whose mapping is
/// complete (``add(_:)``). The later stages take these results for a model node they
/// meet again — the same node under the same key — and do the work themselves for any
/// other node: one brought in by an alias or merge, one that `${env.…}` substitution
/// rewrote, or a key that turned out to be a duplicate.
struct ModelPrecheck: SectionEntryConsumer {
    /// A class, so the table below holds one pointer per model: a decoded model is large,
    /// and growing a table of them copied (and touched) megabytes on a big config.
    private final class Result: Sendable {
        /// The node the results are for (held, so no other node can take its identity).
        let node: YAMLNode
        let key: Located<String>
        let diagnostics: [Diagnostic]
        let model: ModelConfig

        init(node: YAMLNode, key: Located<String>, diagnostics: [Diagnostic], model: ModelConfig) {
            self.node = node
            self.key = key
            self.diagnostics = diagnostics
            self.model = model
        }
    }

    /// The top-level key whose entries are checked ahead.
    static let section = "models"

    private var results: [ObjectIdentifier: Result] = [:]

    /// The number of models checked ahead.
    var count: Int { results.count }

    /// Checks and decodes one complete entry of the `models` mapping.
    mutating func add(_ entry: YAMLEntry) {
        guard let name = entry.key.scalar, name != "<<" else { return }
        let key = Located(name, at: entry.key.span)
        var validator = SchemaValidator()
        validator.validate(entry.value, as: .object(ConfigSchema.model), path: Self.path(of: name))
        results[entry.value.identity] = Result(
            node: entry.value, key: key, diagnostics: validator.diagnostics,
            model: ConfigDecoder.model(id: key, node: entry.value))
    }

    /// The schema diagnostics of `node`, when it was checked ahead as the model `name`.
    func diagnostics(of node: YAMLNode, name: String) -> [Diagnostic]? {
        guard let result = results[node.identity], result.key.value == name
        else { return nil }
        return result.diagnostics
    }

    /// Takes over the results of another precheck of the same file's models.
    mutating func absorb(_ other: ModelPrecheck) {
        if results.isEmpty {
            results = other.results
        } else {
            results.merge(other.results) { mine, _ in mine }
        }
    }

    /// The decoded model for `node` under `key`, when it was decoded ahead.
    func model(of node: YAMLNode, key: Located<String>) -> ModelConfig? {
        guard let result = results[node.identity], result.key.value == key.value, result.key.span == key.span
        else { return nil }
        return result.model
    }

    /// The schema path of the model `name`, as the validator writes it in messages.
    static func path(of name: String) -> String { pathPrefix + name }

    private static let pathPrefix = section + "."
}
