/// Renders diagnostics as GitHub Actions workflow commands, which the Actions
/// runner turns into annotations on the pull request.
///
/// ```
/// ::error file=config.yaml,line=6,col=5,endLine=6,endColumn=7,title=SL102::duplicate key `ttl`
/// ```
///
/// Errors become `::error`, warnings `::warning`, notes `::notice`. Columns are
/// only given for spans on one line (GitHub ignores them otherwise); `endColumn` is
/// the last column covered, inclusive. Related spans and help are appended to the
/// message on lines of their own.
enum GitHubRenderer {
    /// One workflow command per diagnostic; empty for no diagnostics.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var output = ""
        for diagnostic in diagnostics {
            output += "::\(command(for: diagnostic.severity)) \(properties(of: diagnostic))::"
            output += escapedData(message(of: diagnostic)) + "\n"
        }
        return output
    }

    private static func command(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
    }

    private static func properties(of diagnostic: Diagnostic) -> String {
        let span = diagnostic.span
        var pairs = [("file", span.file), ("line", String(span.start.line))]
        if span.start.line == span.end.line {
            pairs.append(("col", String(span.start.column)))
            pairs.append(("endLine", String(span.end.line)))
            pairs.append(("endColumn", String(max(span.start.column, span.end.column - 1))))
        } else {
            pairs.append(("endLine", String(span.end.line)))
        }
        pairs.append(("title", diagnostic.code.rawValue))
        return pairs.map { "\($0.0)=\(escapedProperty($0.1))" }.joined(separator: ",")
    }

    private static func message(of diagnostic: Diagnostic) -> String {
        var lines = [diagnostic.message]
        for related in diagnostic.related {
            let start = related.span.start
            lines.append("note: \(related.label) (\(related.span.file):\(start.line):\(start.column))")
        }
        if let help = diagnostic.help { lines.append("help: \(help)") }
        return lines.joined(separator: "\n")
    }

    /// Escapes a command's message as the runner expects.
    static func escapedData(_ text: String) -> String {
        var output = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": output += "%25"
            case "\r": output += "%0D"
            case "\n": output += "%0A"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// Escapes a property value, which additionally may not contain `:` or `,`.
    static func escapedProperty(_ text: String) -> String {
        var output = ""
        for scalar in escapedData(text).unicodeScalars {
            switch scalar {
            case ":": output += "%3A"
            case ",": output += "%2C"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }
}
