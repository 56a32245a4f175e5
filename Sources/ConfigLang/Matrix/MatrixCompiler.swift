/// Compiles the matrix router's `vars`, `sets` and `evict_costs` into concrete sets
/// of model IDs, reporting bad names, syntax errors, unknown names and cycles at
/// their exact place.
struct MatrixCompiler {
    let matrix: MatrixConfig
    let modelIDs: Set<String>
    let aliases: [String: String]
    let sources: [String: SourceFile]
    var diagnostics: [Diagnostic] = []

    /// The largest eviction cost kept (a billion): costs are compared as sums over
    /// the models a swap stops, which then cannot overflow.
    static let maximumEvictCost = 1_000_000_000

    init(matrix: MatrixConfig, modelIDs: Set<String>, aliases: [String: String], sources: [String: SourceFile]) {
        self.matrix = matrix
        self.modelIDs = modelIDs
        self.aliases = aliases
        self.sources = sources
    }

    /// The concrete sets (in definition order, each sorted) and eviction costs by model ID.
    mutating func compile() -> (sets: [[String]], costs: [String: Int]) {
        var vars: [String: String] = [:]
        for (key, target) in matrix.vars {
            let valid =
                (1...32).contains(key.value.count)
                && key.value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            if !valid {
                diagnostics.append(
                    Diagnostic(
                        .matrixInvalidName, "matrix var `\(key.value)` must be 1 to 32 letters, digits, `-` or `.`",
                        at: key.span, help: "rename the var"))
            }
            if !modelIDs.contains(target.value) {
                let help =
                    aliases[target.value].map { "`\(target.value)` is an alias; use the model ID `\($0)`" }
                    ?? Suggestion.closest(to: target.value, among: modelIDs.sorted()).map { "did you mean `\($0)`?" }
                    ?? "a var must name a model ID defined under `models:`"
                diagnostics.append(
                    Diagnostic(
                        .unknownModel, "matrix var `\(key.value)` points at `\(target.value)`, which is not a model ID",
                        at: target.span, help: help))
            }
            vars[key.value] = target.value
        }
        var parsed: [String: MatrixExpression] = [:]
        var expressions: [String: Located<String>] = [:]
        for (key, expression) in matrix.sets {
            expressions[key.value] = expression
            do {
                parsed[key.value] = try MatrixExpression.parse(expression.value)
            } catch {
                diagnostics.append(
                    Diagnostic(
                        error.kind == .nestingTooDeep ? .matrixNestingTooDeep : .matrixSyntax,
                        "matrix set `\(key.value)`: \(error.message)",
                        at: span(in: expression, offset: error.offset, length: 1),
                        help: error.kind == .nestingTooDeep
                            ? "name intermediate sets less deeply; real sets nest a few levels"
                            : "sets combine names with `&` (together), `|` (alternatives), `( )` and `+set`"))
            }
        }
        var sets: [[String]] = []
        var reportedCycles = Set<[String]>()
        for (key, expression) in matrix.sets {
            guard parsed[key.value] != nil else { continue }
            do {
                let expanded = try MatrixExpression.expand(setNamed: key.value) { parsed[$0] }
                for set in expanded {
                    let ids = set.map { vars[$0] ?? $0 }
                    for (name, id) in zip(set, ids) where !modelIDs.contains(id) && vars[name] == nil {
                        reportUnknown(name, in: expression)
                    }
                    let concrete = Array(Set(ids)).sorted()
                    if !sets.contains(concrete) { sets.append(concrete) }
                }
            } catch {
                switch error.kind {
                case .cycle(let chain):
                    guard reportedCycles.insert(Array(Set(chain)).sorted()).inserted else { continue }
                    let related = chain.dropLast().compactMap { name in
                        expressions[name].map { RelatedSpan($0.span, "set `\(name)`") }
                    }
                    diagnostics.append(
                        Diagnostic(
                            .matrixCycle,
                            "matrix sets include each other in a cycle: " + chain.joined(separator: " → "),
                            at: key.span, related: related, help: "remove one of the `+set` references"))
                case .unknownReference(let name):
                    diagnostics.append(
                        Diagnostic(
                            .matrixUnknownName, "matrix set `\(key.value)` includes `+\(name)`, which is not a set",
                            at: span(in: expression, offset: error.offset, length: name.utf8.count + 1),
                            help: Suggestion.closest(to: name, among: expressions.keys.sorted()).map {
                                "did you mean `+\($0)`?"
                            } ?? "define the set under `sets:`"))
                case .nestingTooDeep:
                    // One report: in a long chain every set above the limit is too deep.
                    guard !diagnostics.contains(where: { $0.code == .matrixNestingTooDeep }) else { continue }
                    diagnostics.append(
                        Diagnostic(
                            .matrixNestingTooDeep, "matrix set `\(key.value)`: \(error.message)",
                            at: span(in: expression, offset: error.offset, length: 1),
                            help: "name intermediate sets less deeply; real sets nest a few levels"))
                default:
                    diagnostics.append(
                        Diagnostic(
                            .matrixSyntax, "matrix set `\(key.value)`: \(error.message)", at: expression.span,
                            help: "simplify the expression"))
                }
            }
        }
        var costs: [String: Int] = [:]
        for (key, cost) in matrix.evictCosts {
            let id = vars[key.value] ?? key.value
            guard modelIDs.contains(id) else {
                diagnostics.append(
                    Diagnostic(
                        .matrixUnknownName, "`evict_costs` names `\(key.value)`, which is neither a var nor a model ID",
                        at: key.span, help: "use a var from `vars:` or a model ID"))
                continue
            }
            // Capped so that the solver's sums over a thousand models cannot overflow.
            costs[id] = min(cost.value, Self.maximumEvictCost)
        }
        return (sets, costs)
    }

    private mutating func reportUnknown(_ name: String, in expression: Located<String>) {
        let at = sources[expression.span.file]?.locate(name, within: expression.span) ?? expression.span
        guard !diagnostics.contains(where: { $0.code == .matrixUnknownName && $0.span == at }) else { return }
        let candidates = Array(modelIDs) + matrix.vars.map(\.key.value)
        diagnostics.append(
            Diagnostic(
                .matrixUnknownName, "`\(name)` in a matrix set is neither a var nor a model ID", at: at,
                help: Suggestion.closest(to: name, among: candidates.sorted()).map { "did you mean `\($0)`?" }
                    ?? "define it under `vars:` or `models:`"))
    }

    /// The span of `length` bytes at UTF-8 `offset` of a one-line expression.
    private func span(in expression: Located<String>, offset: Int, length: Int) -> Span {
        let whole = expression.span
        guard whole.start.line == whole.end.line, let line = sources[whole.file]?.line(whole.start.line) else {
            return whole
        }
        let scalars = Array(line.unicodeScalars)
        let first = whole.start.column - 1
        let quoted = first < scalars.count && (scalars[first] == "\"" || scalars[first] == "'")
        let bytes = Array(expression.value.utf8)
        let prefix = String(decoding: bytes[..<min(offset, bytes.count)], as: UTF8.self).unicodeScalars.count
        let start = whole.start.column + (quoted ? 1 : 0) + prefix
        let end = min(start + max(1, length), whole.end.column)
        return Span(
            file: whole.file, start: SourceLocation(line: whole.start.line, column: start),
            end: SourceLocation(line: whole.start.line, column: max(start, end)))
    }
}
