/// The front half of the compiler, one stage after another: syntax (each file's YAML
/// composed into a tree), merge, environment, schema and decode, expand (macros), and
/// the reference check. Every stage's diagnostics are collected; a file that does not
/// parse stops the compile after the syntax stage.
///
/// ```swift
/// let result = ConfigChecker.check([SourceFile(name: "config.yaml", bytes: bytes)],
///                                  environment: ProcessInfo.processInfo.environment)
/// if result.diagnostics.hasErrors { … }
/// ```
public enum ConfigChecker {
    /// What checking produced.
    public struct Result: Sendable {
        /// The typed config, when the YAML parsed (present even when there are errors).
        public var config: Config?
        /// Every diagnostic, suppressions applied, sorted by position.
        public var diagnostics: [Diagnostic]
        /// Each model's node with macros expanded (`${PORT}` still in place), in the
        /// order of `config.models`.
        var expandedNodes: [YAMLNode] = []
        /// Each model's node with macros expanded (`${PORT}` still in place), by model ID.
        public var expandedModels: [String: YAMLNode] {
            guard let config else { return [:] }
            return Dictionary(
                zip(config.models.map(\.id.value), expandedNodes), uniquingKeysWith: { _, last in last })
        }
        /// The sources, by name, for stages that need exact spans.
        public var sources: [String: SourceFile] = [:]
    }

    /// Checks `files` as one config (the first is the main file; the rest are merged
    /// in order, as `--config-dir` files are).
    public static func check(_ files: [SourceFile], environment: [String: String]) -> Result {
        var diagnostics: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        for file in files { sources[file.name] = file }

        // Syntax: each file's tree; merged into one.
        var roots: [YAMLNode] = []
        var parsed = true
        for file in files {
            let composed = YAMLComposer.compose(file)
            diagnostics += composed.diagnostics
            if composed.diagnostics.contains(where: { YAMLComposer.stopsCompile($0.code) }) { parsed = false }
            if let root = composed.root, !root.isNull { roots.append(root) }
        }
        let (merged, mergeDiagnostics) = ConfigMerge.merge(roots)
        diagnostics += mergeDiagnostics

        var config: Config?
        var expandedNodes: [YAMLNode] = []
        if parsed, let merged {
            // Environment: `${env.NAME}` in every scalar.
            let (substituted, environmentDiagnostics) = EnvironmentSubstitution.substitute(
                in: merged, environment: environment, sources: sources)
            diagnostics += environmentDiagnostics
            // Global macros in the values outside the models.
            let (root, topLevelDiagnostics) = TopLevelMacros.expand(substituted, sources: sources)
            // Decode: the schema check, then the typed config.
            diagnostics += SchemaValidator.validateConfig(root)
            if root.entries != nil {
                let decoded = ConfigDecoder.decode(root)
                // Expand: macros in every model, and the types of the values that held them.
                let macros = MacroCheck.expand(decoded, sources: sources)
                diagnostics = macros.diagnostics(after: diagnostics)
                // A shared macro's problem is reported once, whichever expansion found it.
                for diagnostic in topLevelDiagnostics
                where !diagnostics.contains(where: { $0.code == diagnostic.code && $0.span == diagnostic.span }) {
                    diagnostics.append(diagnostic)
                }
                expandedNodes = macros.expandedNodes
                // Check: references between models, groups, selectors and the rest.
                diagnostics += ReferenceCheck.check(decoded)
                diagnostics += APIKeyCheck.check(decoded)
                config = decoded
            }
        } else if parsed, let first = files.first {
            diagnostics.append(
                Diagnostic(
                    .emptyConfig, "the config is empty", at: .file(first.name),
                    help: "a config needs at least a `models:` mapping; see the examples folder"))
        }
        return Result(
            config: config, diagnostics: Suppressions.apply(to: diagnostics, in: files).sortedByPosition(),
            expandedNodes: expandedNodes, sources: sources)
    }
}
