/// Renders diagnostics for people, in the style of rustc:
///
/// ```
/// error[SL102]: duplicate key `ttl`
///  --> config.yaml:6:5
///   |
/// 6 |     ttl: 120
///   |     ^~~
/// note: first defined here
///  --> config.yaml:5:5
///   |
/// 5 |     ttl: 60
///   |     ^~~
///   = help: remove one of the two
///
/// 1 error
/// ```
///
/// The underline starts with `^` at the span's first column and continues with `~`
/// to its end; a span that runs past its first line is underlined to the end of
/// that line, and an empty span gets a single `^`. Tabs are expanded to the next
/// multiple of `LineLayout.tabWidth` in the source line and the underline alike, combining
/// marks take no cell and common East Asian wide characters take two, so the
/// underline stays under its text. Control characters in the source line are shown
/// as `�`, so a config file cannot send escape sequences to the terminal. A line
/// longer than ``Excerpt/maximumColumns`` is shown clipped around the span, with `…`
/// where text was left out, so a report costs the same on a 300 KB line as on a short
/// one. Lines of a multi-line help after the first are indented to line up with the
/// first.
struct HumanRenderer {
    /// Files to quote source lines from, keyed by name.
    let sources: [String: SourceFile]
    /// Whether to emit ANSI colour escapes.
    let color: Bool

    /// The full report: one block per diagnostic, a blank line after each, then a
    /// summary line. Empty for no diagnostics.
    func render(_ diagnostics: [Diagnostic]) -> String {
        guard !diagnostics.isEmpty else { return "" }
        var output = ""
        for diagnostic in diagnostics {
            output += block(for: diagnostic)
            output += "\n"
        }
        output += paint(Self.summary(diagnostics), .bold) + "\n"
        return output
    }

    /// `1 error, 2 warnings, 1 note`, leaving out counts of zero.
    static func summary(_ diagnostics: [Diagnostic]) -> String {
        let parts: [(Severity, String)] = [(.error, "error"), (.warning, "warning"), (.note, "note")]
        return parts.compactMap { severity, noun in
            let count = diagnostics.count { $0.severity == severity }
            guard count > 0 else { return nil }
            return "\(count) \(noun)\(count == 1 ? "" : "s")"
        }
        .joined(separator: ", ")
    }

    private func block(for diagnostic: Diagnostic) -> String {
        let lines = [diagnostic.span.start.line] + diagnostic.related.map(\.span.start.line)
        let gutterWidth = String(lines.max() ?? 1).count
        let severityStyle = Self.style(for: diagnostic.severity)

        var output = paint("\(diagnostic.severity.rawValue)[\(diagnostic.code.rawValue)]", .bold, severityStyle)
        output += paint(": \(diagnostic.message)", .bold) + "\n"
        output += snippet(diagnostic.span, gutterWidth: gutterWidth, underlineStyle: severityStyle)
        for related in diagnostic.related {
            output += paint("note", .bold, .cyan) + paint(": \(related.label)", .bold) + "\n"
            output += snippet(related.span, gutterWidth: gutterWidth, underlineStyle: .cyan)
        }
        if let help = diagnostic.help {
            let indent = String(repeating: " ", count: gutterWidth + 1)
            let continuation = "\n" + indent + String(repeating: " ", count: "= help: ".count)
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            output += indent + paint("=", .bold, .blue) + " " + paint("help", .bold) + ": "
            output += lines.joined(separator: continuation) + "\n"
        }
        return output
    }

    private func snippet(_ span: Span, gutterWidth: Int, underlineStyle: Style) -> String {
        let padding = String(repeating: " ", count: gutterWidth)
        var output = padding + paint("-->", .bold, .blue)
        output += " \(span.file):\(span.start.line):\(span.start.column)\n"
        guard let file = sources[span.file], let line = file.line(span.start.line) else { return output }

        let excerpt = Excerpt(
            line, from: span.start.column, to: span.end.line == span.start.line ? span.end.column : nil)
        let layout = LineLayout(excerpt.text)
        let startCell = layout.cell(atColumn: excerpt.start)
        let endCell = excerpt.end.map { layout.cell(atColumn: $0) } ?? layout.width
        let width = max(1, endCell - startCell)
        let underline = "^" + String(repeating: "~", count: width - 1)
        let number = String(span.start.line)
        let numberColumn = number + String(repeating: " ", count: gutterWidth - number.count)

        output += paint(padding + " |", .bold, .blue) + "\n"
        output += paint(numberColumn + " |", .bold, .blue)
        output += (layout.text.isEmpty ? "" : " " + layout.text) + "\n"
        output += paint(padding + " |", .bold, .blue) + " " + String(repeating: " ", count: startCell)
        output += paint(underline, .bold, underlineStyle) + "\n"
        return output
    }

    private static func style(for severity: Severity) -> Style {
        switch severity {
        case .error: .red
        case .warning: .yellow
        case .note: .cyan
        }
    }

    private func paint(_ text: String, _ styles: Style...) -> String {
        guard color, !text.isEmpty else { return text }
        return styles.map(\.rawValue).joined() + text + Style.reset.rawValue
    }
}

extension HumanRenderer {
    /// ANSI SGR escape sequences.
    enum Style: String {
        case reset = "\u{1B}[0m"
        case bold = "\u{1B}[1m"
        case red = "\u{1B}[31m"
        case yellow = "\u{1B}[33m"
        case blue = "\u{1B}[34m"
        case cyan = "\u{1B}[36m"
    }
}
