/// The front half of the compiler: parse, merge, substitute the environment, check
/// the schema, decode, and check macros and references.
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
        /// The parsed files and the models checked while parsing, held only so that
        /// they are freed with the result rather than piece by piece when checking
        /// returns (a caller that exits right after compiling then frees nothing).
        var intermediates: (syntaxTrees: [YAMLNode], precheck: ModelPrecheck) = ([], ModelPrecheck())
    }

    /// Checks `files` as one config (the first is the main file; the rest are merged
    /// in order, as `--config-dir` files are).
    public static func check(_ files: [SourceFile], environment: [String: String]) -> Result {
        check(files, environment: environment, checkModelsAhead: true)
    }

    /// `checkModelsAhead: false` leaves every model's schema check and decoding to the
    /// stages after parsing (for tests that compare the two ways).
    static func check(_ files: [SourceFile], environment: [String: String], checkModelsAhead: Bool) -> Result {
        var diagnostics: [Diagnostic] = []
        var roots: [YAMLNode] = []
        var sources: [String: SourceFile] = [:]
        var parsed = true
        // While libyaml parses a large file, the composing thread checks and decodes
        // each model as soon as it is complete (ModelPrecheck).
        var precheck = ModelPrecheck()
        for file in files {
            sources[file.name] = file
            let composed =
                checkModelsAhead
                ? YAMLComposer.compose(file, section: ModelPrecheck.section, into: &precheck)
                : YAMLComposer.compose(file)
            diagnostics += composed.diagnostics
            if composed.diagnostics.contains(where: { $0.code == .yamlSyntax }) { parsed = false }
            if let root = composed.root, !root.isNull {
                roots.append(root)
            }
        }
        var config: Config?
        var expandedNodes: [YAMLNode] = []
        let (merged, mergeDiagnostics) = ConfigMerge.merge(roots)
        diagnostics += mergeDiagnostics
        if parsed, let merged {
            var root = merged
            if files.contains(where: { $0.contains(bytesOf: "${env.") }) {
                var environmentPass = EnvironmentSubstitution(environment: environment, sources: sources)
                root = environmentPass.apply(merged)
                diagnostics += environmentPass.diagnostics
            }

            // The schema check and the decoding read the same tree and need nothing of
            // each other: on a large config they run side by side.
            let checkedRoot = root
            let prechecked = precheck
            let (schemaDiagnostics, decodedConfig) = SideTask.run(
                worthIt: precheck.count >= ParallelMap.threshold,
                {
                    var validator = SchemaValidator()
                    validator.precheck = prechecked
                    validator.validate(checkedRoot, as: .object(ConfigSchema.root), path: "")
                    return validator.diagnostics
                },
                while: { root.entries != nil ? ConfigDecoder.decode(root, precheck: precheck) : nil })
            diagnostics += schemaDiagnostics
            if let decoded = decodedConfig {
                var macros = MacroCheck(config: decoded, sources: sources)
                // References need only the decoded config: on a large one they are checked
                // while the macros expand, and reported after the macro diagnostics as before.
                let (referenceDiagnostics, _) = SideTask.run(
                    worthIt: decoded.models.count >= ParallelMap.threshold,
                    {
                        var references = ReferenceCheck(config: decoded)
                        references.run()
                        return references.diagnostics
                    },
                    while: { macros.run() })
                // A list or mapping as a macro value is reported as SL407, not also as a type mismatch.
                let nonScalarMacros = Set(
                    macros.diagnostics.filter { $0.code == .macroNotScalar }.map { [$0.span.file, "\($0.span.start)"] })
                diagnostics.removeAll {
                    $0.code == .typeMismatch && nonScalarMacros.contains([$0.span.file, "\($0.span.start)"])
                }
                diagnostics += macros.diagnostics
                expandedNodes = macros.expandedNodes
                let known = Set(diagnostics.map { [$0.code.rawValue, "\($0.span)"] })
                for diagnostic in macros.typedDiagnostics
                where [.typeMismatch, .outOfRange, .invalidValue, .invalidDuration].contains(diagnostic.code)
                    && !known.contains([diagnostic.code.rawValue, "\(diagnostic.span)"])
                {
                    diagnostics.append(diagnostic)
                }
                diagnostics += referenceDiagnostics
                config = decoded
            }
        } else if parsed, let first = files.first {
            diagnostics.append(
                Diagnostic(
                    .emptyConfig, "the config is empty", at: .file(first.name),
                    help: "a config needs at least a `models:` mapping; see the examples folder"))
        }

        var suppressed: [Diagnostic] = []
        var byFile: [String: Suppressions] = [:]
        for file in files {
            let suppressions = Suppressions(file)
            byFile[file.name] = suppressions
            suppressed += suppressions.diagnostics
        }
        for diagnostic in diagnostics where byFile[diagnostic.span.file]?.suppresses(diagnostic) != true {
            suppressed.append(diagnostic)
        }
        return Result(
            config: config, diagnostics: suppressed.sortedByPosition(), expandedNodes: expandedNodes,
            sources: sources, intermediates: (roots, precheck))
    }
}
