/// Expands `${name}` references in one scope (global → group → model macros, the
/// later level shadowing the earlier), reporting unknown names, cycles and `${PID}`
/// outside `cmdStop`.
///
/// Resolution does not depend on declaration order. Because the scope is flattened
/// per model, a global macro that mentions a name a model shadows sees the model's
/// value when expanded for that model. `${PORT}` and `${PID}` are left in place for
/// later stages; `${MODEL_ID}` becomes the model's ID.
struct MacroExpander {
    /// Names llama-swap reserves.
    static let reserved: Set<String> = ["PORT", "PID", "MODEL_ID"]

    let scope: [String: MacroDefinition]
    let modelID: String?
    let sources: [String: SourceFile]
    /// Where this scope's expansion is for, used as a related span in messages.
    let context: (span: Span, label: String)?
    var diagnostics: [Diagnostic] = []
    /// The spans of scalars ``expandNode(_:)`` changed, so their types can be checked again.
    var expandedSpans: Set<Span> = []
    /// The spans of the lists and mappings that hold those scalars.
    var expandedCollections: Set<Span> = []
    private var cache: [String: String] = [:]
    /// The compile's budget for substitutions, shared with the other scopes' expanders.
    let budget: MacroBudget
    /// Names on a cycle (already reported); they are left unexpanded.
    private var cyclic: Set<String> = []
    /// Names whose references ``findCycles(from:)`` has followed to the end.
    private var explored: Set<String> = []

    /// How many macros deep one reference may lead (`a` uses `b` uses `c` … is a chain).
    /// Real configs chain two or three; the bound keeps expansion's recursion shallow.
    static let maximumDepth = 64

    init(
        scope: [String: MacroDefinition], modelID: String?, sources: [String: SourceFile],
        context: (span: Span, label: String)? = nil, budget: MacroBudget = MacroBudget()
    ) {
        self.scope = scope
        self.modelID = modelID
        self.sources = sources
        self.context = context
        self.budget = budget
    }

    /// Where a node sits in a model, as far as expansion cares.
    private enum Place {
        case root, cmd, cmdStop, filters, setParamsByID, other

        func child(_ key: String) -> Place {
            switch self {
            case .root:
                switch key {
                case "cmd": return .cmd
                case "cmdStop": return .cmdStop
                case "filters": return .filters
                default: return .other
                }
            case .filters: return key == "setParamsByID" ? .setParamsByID : .other
            default: return .other
            }
        }
    }

    /// Expands every scalar of a model's node (macro definitions themselves are
    /// skipped). A scalar that is exactly one `${name}` of a plain macro stays plain,
    /// so the macro's type (number, boolean) carries over. `cmd` and `cmdStop` lose
    /// their `#` comment lines first, as llama-swap does.
    mutating func expandNode(_ node: YAMLNode) -> YAMLNode {
        expanded(node, at: .root) ?? node
    }

    /// Expands every scalar of a value outside the models (a top-level key's value).
    mutating func expandValue(_ node: YAMLNode) -> YAMLNode {
        expanded(node, at: .other) ?? node
    }

    /// The node with its scalars expanded, or nil when nothing in it changes (the
    /// common case, which then costs no copy).
    private mutating func expanded(_ node: YAMLNode, at place: Place) -> YAMLNode? {
        switch node.kind {
        case .scalar(let written, let style):
            var text = written
            if place == .cmd || place == .cmdStop { text = ShellWords.stripCommentLines(text) }
            guard text.containsBytes("${") else {
                if place != .cmd && place != .cmdStop || text == written { return nil }
                var copy = node
                copy.kind = .scalar(text, style)
                return copy
            }
            let expanded = expand(text, at: node, allowPID: place == .cmdStop)
            Self.record(node.span, in: &expandedSpans)
            var newStyle = style
            // Only a scalar that starts with `${` and ends with `}` can be one whole reference.
            if text.utf8.first == UInt8(ascii: "$"), text.utf8.last == UInt8(ascii: "}") {
                let references = MacroReference.scan(text)
                if references.count == 1, references[0].range == 0..<text.utf8.count,
                    let definition = scope[references[0].name]
                {
                    newStyle = definition.value.style == .plain ? .plain : .doubleQuoted
                }
            }
            var copy = node
            copy.kind = .scalar(expanded, newStyle)
            return copy
        case .sequence(let items):
            var result: [YAMLNode]?
            for index in items.indices {
                guard let changed = expanded(items[index], at: .other) else { continue }
                if result == nil { result = items }
                result![index] = changed
            }
            guard let result else { return nil }
            Self.record(node.span, in: &expandedCollections)
            var copy = node
            copy.kind = .sequence(result)
            return copy
        case .mapping(let entries):
            var result: [YAMLEntry]?
            for index in entries.indices {
                let entry = entries[index]
                let name = entry.name
                if place == .root, name == "macros" { continue }
                var key: YAMLNode?
                if place == .setParamsByID, name.containsBytes("${") {
                    var expandedKey = entry.key
                    expandedKey.kind = .scalar(expand(name, at: entry.key), entry.key.style ?? .plain)
                    key = expandedKey
                }
                let value = expanded(entry.value, at: place.child(name))
                if key == nil && value == nil { continue }
                if result == nil { result = entries }
                result![index] = YAMLEntry(key: key ?? entry.key, value: value ?? entry.value)
            }
            guard let result else { return nil }
            Self.record(node.span, in: &expandedCollections)
            var copy = node
            copy.kind = .mapping(result)
            return copy
        }
    }

    /// Adds `span` to one of the changed-span sets, with room for a model's usual
    /// handful at once instead of growing 1, 3, 6, ….
    private static func record(_ span: Span, in spans: inout Set<Span>) {
        if spans.isEmpty { spans.reserveCapacity(16) }
        spans.insert(span)
    }

    /// Expands a scalar written at `node` (`allowPID` only for `cmdStop`).
    mutating func expand(_ text: String, at node: YAMLNode, allowPID: Bool = false) -> String {
        var stack: [String] = []
        return expand(text, span: node.span, allowPID: allowPID, stack: &stack)
    }

    private mutating func expand(_ text: String, span: Span, allowPID: Bool, stack: inout [String]) -> String {
        // How many references of each name came before, to tell which one a report is about.
        var earlier: [String: Int] = [:]
        return MacroReference.substitute(text) { reference in
            let occurrence = earlier[reference.name, default: 0]
            earlier[reference.name] = occurrence + 1
            let site = (span: span, occurrence: occurrence)
            guard let value = resolve(reference, at: site, allowPID: allowPID, stack: &stack) else {
                return nil
            }
            guard budget.spend(value.utf8.count) else {
                if !budget.reported {
                    budget.reported = true
                    report(
                        Diagnostic(
                            .macroExpansionTooLarge,
                            "macro expansion goes over its budget here (\(MacroBudget.maximumSubstitutions) "
                                + "substitutions or \(MacroBudget.maximumBytes >> 20) MiB of text in all)",
                            at: locate(reference, site),
                            related: context.map { [RelatedSpan($0.span, $0.label)] } ?? [],
                            help: "macros that repeat other macros grow exponentially; "
                                + "write the text out or use fewer levels"))
                }
                return nil
            }
            return value
        }
    }

    /// The text `reference` stands for, or nil to leave it as written.
    private mutating func resolve(
        _ reference: MacroReference, at site: (span: Span, occurrence: Int), allowPID: Bool, stack: inout [String]
    ) -> String? {
        let name = reference.name
        // Only names in scope that expanded completely are cached (never a reserved
        // name or `env.…`), and a name is cached only once its expansion is done, so
        // this cannot hide a cycle.
        if let cached = cache[name] { return cached }
        switch name {
        case "PORT":
            return nil
        case "MODEL_ID":
            return modelID
        case "PID":
            if !allowPID, canReport {
                report(
                    Diagnostic(
                        .pidOutsideCmdStop, "`${PID}` can only be used in `cmdStop`",
                        at: locate(reference, site),
                        help: "`${PID}` is the backend's process ID, known only when stopping it"))
            }
            return nil
        default:
            break
        }
        if name.hasPrefix("env.") { return nil }
        guard let definition = scope[name] else {
            guard canReport else { return nil }
            var names = Array(scope.keys) + ["PORT", "MODEL_ID"]
            names.sort()
            let suggestion = Suggestion.closest(to: name, among: names)
            var help = suggestion.map { "did you mean `${\($0)}`?" } ?? "define it under `macros:`"
            if suggestion == nil, name.uppercased() == name {
                help += "; shell variables are not expanded (use `${env.\(name)}` for an environment variable)"
            }
            report(
                Diagnostic(
                    .unknownMacro, "unknown macro `\(name)`", at: locate(reference, site),
                    related: context.map { [RelatedSpan($0.span, $0.label)] } ?? [], help: help))
            return nil
        }
        findCycles(from: name)
        // A name on a cycle (reported by `findCycles`) expands until the cycle closes,
        // leaving that one reference as written, as far as the depth limit allows.
        if budget.isExhausted || stack.contains(name) { return nil }
        if cyclic.contains(name) && stack.count >= Self.maximumDepth { return nil }
        guard let value = definition.value.scalar else { return nil }
        if stack.count >= Self.maximumDepth {
            guard canReport else { return nil }
            let chain = stack.prefix(3).joined(separator: " → ")
            report(
                Diagnostic(
                    .macroNestingTooDeep,
                    "macro `\(name)` is reached through more than \(Self.maximumDepth) macros in a row "
                        + "(\(chain) → …)",
                    at: locate(reference, site),
                    related: context.map { [RelatedSpan($0.span, $0.label)] } ?? [],
                    help: "write the value of an inner macro out; real configs nest macros a few levels"))
            return nil
        }
        stack.append(name)
        let expanded = expand(value, span: definition.value.span, allowPID: allowPID, stack: &stack)
        stack.removeLast()
        cache[name] = expanded
        return expanded
    }

    /// Follows every macro reference reachable from `start` once (an iterative
    /// depth-first search, so linear in the macros and references and with no
    /// recursion), reporting each cycle it closes and marking its names ``cyclic``.
    private mutating func findCycles(from start: String) {
        guard !explored.contains(start) else { return }
        var onPath: [String: Int] = [:]
        var path: [(name: String, next: [String], position: Int)] = []
        func references(of name: String) -> [String] {
            guard let text = scope[name]?.value.scalar, text.containsBytes("${") else { return [] }
            return MacroReference.scan(text).map(\.name).filter {
                scope[$0] != nil && !Self.reserved.contains($0)
            }
        }
        onPath[start] = 0
        path.append((start, references(of: start), 0))
        while let top = path.indices.last {
            guard path[top].position < path[top].next.count else {
                let done = path.removeLast().name
                onPath[done] = nil
                explored.insert(done)
                continue
            }
            let next = path[top].next[path[top].position]
            path[top].position += 1
            if let start = onPath[next] {
                let cycle = path[start...].map(\.name)
                reportCycle(cycle + [next])
                cyclic.formUnion(cycle)
            } else if !explored.contains(next) {
                onPath[next] = path.count
                path.append((next, references(of: next), 0))
            }
        }
    }

    private func locate(_ literal: String, _ span: Span, _ occurrence: Int) -> Span {
        sources[span.file]?.locate(literal, within: span, occurrence: occurrence) ?? span
    }

    /// Where `reference` is written: its scalar's span and how many references of the
    /// same name come before it there.
    private func locate(_ reference: MacroReference, _ site: (span: Span, occurrence: Int)) -> Span {
        locate("${\(reference.name)}", site.span, site.occurrence)
    }

    private mutating func reportCycle(_ found: [String]) {
        var links = Array(found.dropLast())
        if let smallest = links.indices.min(by: { links[$0] < links[$1] }) {
            links = Array(links[smallest...] + links[..<smallest])
        }
        let cycle = links + [links[0]]
        guard let first = scope[cycle[0]] else { return }
        var related: [RelatedSpan] = []
        for (index, name) in cycle.dropLast().enumerated() {
            guard let definition = scope[name] else { continue }
            let next = cycle[index + 1]
            related.append(
                RelatedSpan(
                    locate("${\(next)}", definition.value.span, 0), "`\(name)` uses `\(next)` here"))
        }
        report(
            Diagnostic(
                .macroCycle, "macros refer to each other in a cycle: " + cycle.joined(separator: " → "),
                at: first.name.span, related: related,
                help: "break the cycle: one of these macros must not refer back"))
    }

    /// The most diagnostics one expander reports: finding where a reference is written
    /// reads its scalar, so a scalar of a hundred thousand bad references would
    /// otherwise take quadratic time, and a hundred say all there is to say.
    static let maximumReports = 100

    private var canReport: Bool { diagnostics.count < Self.maximumReports }

    private mutating func report(_ diagnostic: Diagnostic) {
        if !diagnostics.contains(where: { $0.span == diagnostic.span && $0.code == diagnostic.code }) {
            diagnostics.append(diagnostic)
        }
    }
}
