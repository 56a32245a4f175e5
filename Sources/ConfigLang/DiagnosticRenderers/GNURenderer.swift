/// Renders diagnostics in the GNU `file:line:col: severity: message` style that
/// editors and `compilation-mode` jump to.
///
/// Each diagnostic is one line, followed by one `note:` line per related span and
/// a `note: help:` line when it has help. Newlines inside messages become spaces.
enum GNURenderer {
    /// One line per diagnostic, note and help; empty for no diagnostics.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var output = ""
        for diagnostic in diagnostics {
            let span = diagnostic.span
            output += "\(position(span)): \(diagnostic.severity.rawValue): "
            output += "\(flattened(diagnostic.message)) [\(diagnostic.code.rawValue)]\n"
            for related in diagnostic.related {
                output += "\(position(related.span)): note: \(flattened(related.label))\n"
            }
            if let help = diagnostic.help {
                output += "\(position(span)): note: help: \(flattened(help))\n"
            }
        }
        return output
    }

    private static func position(_ span: Span) -> String {
        "\(span.file):\(span.start.line):\(span.start.column)"
    }

    private static func flattened(_ text: String) -> String {
        var output = ""
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\r":
                output.append(" ")
                previousWasCR = true
                continue
            case "\n":
                if !previousWasCR { output.append(" ") }
            default:
                output.unicodeScalars.append(scalar)
            }
            previousWasCR = false
        }
        return output
    }
}
