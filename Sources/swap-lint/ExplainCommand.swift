import ConfigLang
import SwapLintCLI

/// `swap-lint explain CODE`: what a diagnostic code means.
struct ExplainCommand {
    var options: ExplainOptions

    func run() throws(ExitStatus) {
        if options.list {
            print(Self.listing(), terminator: "")
            return
        }
        guard let text = options.code else {
            Self.printError("error: give a code to explain (such as SL201), or --list to see them all")
            throw .usage
        }
        guard let diagnosticCode = DiagnosticCode.parse(text) else {
            Self.printError(
                "error: unknown diagnostic code `\(text)`; codes look like SL201 (or sl201, or a name such as "
                    + "unknown-key); run `swap-lint explain --list` to see them all")
            throw .usage
        }
        print(Self.page(for: diagnosticCode), terminator: "")
    }

    /// The full explanation of one code.
    static func page(for code: DiagnosticCode) -> String {
        let explanation = code.explanation
        var output = "\(code.rawValue) \(code.name): \(explanation.title)\n"
        output += "group: \(code.group), default severity: \(code.defaultSeverity.rawValue)\n\n"
        output += wrapped(explanation.summary, width: 80) + "\n\n"
        output += "Wrong:\n" + indented(explanation.wrong) + "\n\n"
        output += "Right:\n" + indented(explanation.right) + "\n"
        return output
    }

    /// One line per code: code, name, title.
    static func listing() -> String {
        let nameWidth = DiagnosticCode.allCases.map(\.name.count).max() ?? 0
        return DiagnosticCode.allCases.map { code in
            let padding = String(repeating: " ", count: nameWidth - code.name.count)
            return "\(code.rawValue)  \(code.name)\(padding)  \(code.explanation.title)\n"
        }
        .joined()
    }

    private static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "    " + $0 }
            .joined(separator: "\n")
    }

    private static func wrapped(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }

    private static func printError(_ message: String) {
        Console.error(message + "\n")
    }
}
