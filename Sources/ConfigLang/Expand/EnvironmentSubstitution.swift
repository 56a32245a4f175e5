/// Replaces `${env.NAME}` in every scalar of a tree with the variable's value.
///
/// This runs per scalar after parsing, so a value holding quotes or a newline can
/// never change the YAML's structure. A plain scalar stays plain, so a number from
/// the environment is still typed as a number.
public struct EnvironmentSubstitution {
    /// The variables available.
    public let environment: [String: String]
    /// Where to find exact spans.
    public let sources: [String: SourceFile]
    /// Problems found (unset variables).
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates a substitution pass.
    public init(environment: [String: String], sources: [String: SourceFile]) {
        self.environment = environment
        self.sources = sources
    }

    /// The environment stage: `root` with every `${env.NAME}` replaced, and a diagnostic
    /// for each variable that is not set.
    public static func substitute(
        in root: YAMLNode, environment: [String: String], sources: [String: SourceFile]
    ) -> (YAMLNode, [Diagnostic]) {
        var pass = EnvironmentSubstitution(environment: environment, sources: sources)
        let result = pass.apply(root)
        return (result, pass.diagnostics)
    }

    /// The tree with every `${env.NAME}` replaced.
    public mutating func apply(_ node: YAMLNode) -> YAMLNode {
        rewrite(node) ?? node
    }

    /// The rewritten node, or nil when nothing under it changes (so untouched
    /// subtrees are shared, not copied).
    private mutating func rewrite(_ node: YAMLNode) -> YAMLNode? {
        switch node.kind {
        case .scalar(let text, let style):
            guard text.containsBytes("${env.") else { return nil }
            var copy = node
            copy.kind = .scalar(substitute(text, node: node), style)
            return copy
        case .sequence(let items):
            var changed: [YAMLNode]?
            for (index, item) in items.enumerated() {
                guard let new = rewrite(item) else { continue }
                if changed == nil { changed = items }
                changed![index] = new
            }
            guard let changed else { return nil }
            var copy = node
            copy.kind = .sequence(changed)
            return copy
        case .mapping(let entries):
            var changed: [YAMLEntry]?
            for (index, entry) in entries.enumerated() {
                let key = rewrite(entry.key)
                let value = rewrite(entry.value)
                guard key != nil || value != nil else { continue }
                if changed == nil { changed = entries }
                changed![index] = YAMLEntry(key: key ?? entry.key, value: value ?? entry.value)
            }
            guard let changed else { return nil }
            var copy = node
            copy.kind = .mapping(changed)
            return copy
        }
    }

    private mutating func substitute(_ text: String, node: YAMLNode) -> String {
        var occurrences: [String: Int] = [:]
        var missing: [(String, Int)] = []
        let result = MacroReference.substitute(text) { reference in
            guard reference.name.hasPrefix("env.") else { return nil }
            let literal = "${\(reference.name)}"
            let occurrence = occurrences[literal, default: 0]
            occurrences[literal] = occurrence + 1
            let variable = String(reference.name.dropFirst(4))
            if let value = environment[variable] { return value }
            missing.append((variable, occurrence))
            return nil
        }
        // Each is located by reading the scalar, so their number is bounded (see
        // `MacroExpander.maximumReports`).
        for (variable, occurrence) in missing.prefix(max(0, MacroExpander.maximumReports - diagnostics.count)) {
            let literal = "${env.\(variable)}"
            let span = sources[node.span.file]?.locate(literal, within: node.span, occurrence: occurrence) ?? node.span
            diagnostics.append(
                Diagnostic(
                    .unsetEnvironmentVariable, "environment variable `\(variable)` is not set", at: span,
                    help: "set `\(variable)` in the environment swap runs in (for systemd: `Environment=` in the unit)")
            )
        }
        return result
    }
}
