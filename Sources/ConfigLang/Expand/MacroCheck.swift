/// Checks macro definitions and every macro reference, model by model.
///
/// Definitions: names must match `^[a-zA-Z0-9_-]+$`, be under 64 characters and not
/// be reserved; values must be scalars. References: every `${name}` in a model (any
/// scalar, and the keys of `filters.setParamsByID`) must resolve in the model's scope.
struct MacroCheck {
    let config: Config
    let sources: [String: SourceFile]
    var diagnostics: [Diagnostic] = []
    /// Each model's node with macros expanded (`${PORT}` still in place), in the order
    /// of `config.models`.
    var expandedNodes: [YAMLNode] = []
    /// What checking those scalars' types after expansion found (every kind the
    /// schema reports; the caller keeps the value-level ones it did not already have).
    var typedDiagnostics: [Diagnostic] = []

    /// The expand stage: every model's node with its macros expanded, and what that found.
    static func expand(_ config: Config, sources: [String: SourceFile]) -> MacroCheck {
        var check = MacroCheck(config: config, sources: sources)
        check.run()
        return check
    }

    /// `earlier` (the diagnostics of the stages before) with this stage's added: a list
    /// or mapping as a macro value is reported as SL407 and not also as a type mismatch,
    /// and a value-level problem that the types checked after expansion found is added
    /// unless it was already reported at the same place.
    func diagnostics(after earlier: [Diagnostic]) -> [Diagnostic] {
        let nonScalarMacros = Set(
            diagnostics.filter { $0.code == .macroNotScalar }.map { [$0.span.file, "\($0.span.start)"] })
        var result = earlier.filter {
            !($0.code == .typeMismatch && nonScalarMacros.contains([$0.span.file, "\($0.span.start)"]))
        }
        result += diagnostics
        let known = Set(result.map { [$0.code.rawValue, "\($0.span)"] })
        for diagnostic in typedDiagnostics
        where [.typeMismatch, .outOfRange, .invalidValue, .invalidDuration].contains(diagnostic.code)
            && !known.contains([diagnostic.code.rawValue, "\(diagnostic.span)"])
        {
            result.append(diagnostic)
        }
        return result
    }

    init(config: Config, sources: [String: SourceFile]) {
        self.config = config
        self.sources = sources
    }

    mutating func run() {
        checkDefinitions(config.macros, level: { "global" })
        for group in config.groups { checkDefinitions(group.macros, level: { "group `\(group.name.value)`" }) }
        // By index: iterating the models would copy each one.
        let models = config.models
        for index in models.indices where !models[index].macros.isEmpty {
            checkDefinitions(models[index].macros, level: { "model `\(models[index].id.value)`" })
        }

        let global = Self.scope(config.macros)
        let budget = MacroBudget()

        // Global macros are checked in the global scope only for names defined nowhere,
        // since a model may supply a name a global macro leaves open.
        let definedAnywhere = Set(
            config.macros.map(\.name.value) + config.groups.flatMap { $0.macros.map(\.name.value) }
                + config.models.flatMap { $0.macros.map(\.name.value) })
        var globalExpander = MacroExpander(
            scope: global, modelID: nil, sources: sources, budget: budget)
        for definition in config.macros {
            guard let text = definition.value.scalar else { continue }
            let open = MacroReference.scan(text).filter {
                !definedAnywhere.contains($0.name) && !MacroExpander.reserved.contains($0.name)
                    && !$0.name.hasPrefix("env.")
            }
            if !open.isEmpty { _ = globalExpander.expand(text, at: definition.value) }
        }
        diagnostics += globalExpander.diagnostics

        let groups = config.groups
        let groupOfModel = config.groupIndexByModel()
        let outcomes = models.indices.map { index in
            let model = models[index]
            var scope = global
            if let group = groupOfModel[model.id.value], !groups[group].macros.isEmpty {
                scope.merge(Self.scope(groups[group].macros)) { $1 }
            }
            if !model.macros.isEmpty {
                scope.merge(Self.scope(model.macros)) { $1 }
            }
            var expander = MacroExpander(
                scope: scope, modelID: model.id.value, sources: sources,
                context: (model.id.span, "while expanding model `\(model.id.value)`"), budget: budget)
            let node = expander.expandNode(model.node)
            // Values that held macros get their types checked now that they are known.
            var typed = SchemaValidator(
                onlyScalarsAt: expander.expandedSpans, onlyCollectionsAt: expander.expandedCollections)
            if !expander.expandedSpans.isEmpty {
                typed.validate(node, as: .object(ConfigSchema.model), path: "models.\(model.id.value)")
            }
            return (
                node: node, diagnostics: expander.diagnostics, typed: typed.diagnostics
            )
        }
        expandedNodes = outcomes.map(\.node)
        for index in outcomes.indices {
            typedDiagnostics += outcomes[index].typed
            // A problem inside a shared macro is reported once, not once per model using it.
            for diagnostic in outcomes[index].diagnostics
            where !diagnostics.contains(where: { $0.code == diagnostic.code && $0.span == diagnostic.span }) {
                diagnostics.append(diagnostic)
            }
        }
    }

    static func scope(_ definitions: [MacroDefinition]) -> [String: MacroDefinition] {
        var scope: [String: MacroDefinition] = [:]
        for definition in definitions { scope[definition.name.value] = definition }
        return scope
    }

    /// `level` names where the definitions are ("model `m`"); only built for a message.
    private mutating func checkDefinitions(_ definitions: [MacroDefinition], level: () -> String) {
        for definition in definitions {
            let name = definition.name.value
            if MacroExpander.reserved.contains(name) {
                diagnostics.append(
                    Diagnostic(
                        .reservedMacroName, "`\(name)` is reserved and cannot be defined as a \(level()) macro",
                        at: definition.name.span, help: "rename the macro; `PORT`, `PID` and `MODEL_ID` are set by swap"
                    ))
            } else if name.isEmpty || name.unicodeScalars.count >= 64
                || !name.utf8.allSatisfy({ MacroReference.isNameByte($0) && $0 != UInt8(ascii: ".") })
            {
                diagnostics.append(
                    Diagnostic(
                        .invalidMacroName,
                        "macro name `\(name)` must match ^[a-zA-Z0-9_-]+$ and be shorter than 64 characters",
                        at: definition.name.span, help: "use only letters, digits, `_` and `-`"))
            }
            if definition.value.scalar == nil {
                diagnostics.append(
                    Diagnostic(
                        .macroNotScalar,
                        "macro `\(name)` must be a string, number or boolean, not \(definition.value.kindDescription)",
                        at: definition.value.span, help: "write the value on one line, or use a `>` folded block"))
            }
        }
    }
}
