/// Inline suppression comments in one file:
/// `# swap-lint disable-line SL201` (this line) and
/// `# swap-lint disable-next-line SL201, SL202` (the next line). Without codes,
/// every diagnostic on that line is suppressed.
public struct Suppressions: Sendable {
    /// Line → codes suppressed there (an empty set means all).
    public private(set) var lines: [Int: Set<DiagnosticCode>] = [:]
    /// Problems with the comments themselves (unknown codes).
    public private(set) var diagnostics: [Diagnostic] = []

    /// `diagnostics` without those the files' comments suppress, after the problems
    /// with the comments themselves.
    public static func apply(to diagnostics: [Diagnostic], in files: [SourceFile]) -> [Diagnostic] {
        var kept: [Diagnostic] = []
        var byFile: [String: Suppressions] = [:]
        for file in files {
            let suppressions = Suppressions(file)
            byFile[file.name] = suppressions
            kept += suppressions.diagnostics
        }
        for diagnostic in diagnostics where byFile[diagnostic.span.file]?.suppresses(diagnostic) != true {
            kept.append(diagnostic)
        }
        return kept
    }

    /// Reads the suppression comments of `source`.
    public init(_ source: SourceFile) {
        guard source.contains(bytesOf: "swap-lint") else { return }
        for number in 1...max(1, source.lineCount) {
            guard let line = source.line(number), let marker = line.range(of: "swap-lint disable-") else { continue }
            let before = line[..<marker.lowerBound]
            guard let hash = before.lastIndex(of: "#"),
                before[before.index(after: hash)...].allSatisfy({ $0 == " " || $0 == "\t" }),
                hash == before.startIndex || line[line.index(before: hash)] == " "
                    || line[line.index(before: hash)] == "\t"
            else { continue }
            let rest = line[marker.upperBound...]
            let target: Int
            let codesText: Substring
            if rest.hasPrefix("next-line") {
                target = number + 1
                codesText = rest.dropFirst("next-line".count)
            } else if rest.hasPrefix("line") {
                target = number
                codesText = rest.dropFirst("line".count)
            } else {
                continue
            }
            var codes = Set<DiagnosticCode>()
            var column = line.distance(from: line.startIndex, to: codesText.startIndex)
            for word in codesText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "," }) {
                defer { column += word.count + 1 }
                guard !word.isEmpty else { continue }
                if let code = DiagnosticCode(rawValue: word.uppercased()) {
                    codes.insert(code)
                } else {
                    let span = Span(
                        file: source.name, start: SourceLocation(line: number, column: column + 1),
                        end: SourceLocation(line: number, column: column + 1 + word.count))
                    diagnostics.append(
                        Diagnostic(
                            .unknownSuppression, "`\(word)` is not a swap-lint code", at: span,
                            help: "list codes such as SL201; `swap-lint explain --list` shows them all"))
                }
            }
            lines[target, default: []].formUnion(codes)
            if codes.isEmpty { lines[target] = [] }
        }
    }

    /// True when `diagnostic` is suppressed by a comment in this file.
    public func suppresses(_ diagnostic: Diagnostic) -> Bool {
        guard let codes = lines[diagnostic.span.start.line] else { return false }
        return codes.isEmpty || codes.contains(diagnostic.code)
    }
}
