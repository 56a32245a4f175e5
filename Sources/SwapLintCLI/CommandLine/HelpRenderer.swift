/// The help text of a tool and of each of its commands, laid out as the tool has
/// always printed it: an overview, a usage line, then labelled sections whose
/// descriptions start at column 26 and wrap at 80 columns.
public enum HelpRenderer {
    /// The width help text wraps at.
    static let width = 80
    /// The column where descriptions start.
    static let descriptionColumn = 26

    /// The tool's help: overview, exit codes, usage, options and the subcommand list.
    public static func render(_ tool: ToolSpec) -> String {
        var text = overview(tool.abstract, discussion: tool.discussion)
        text += "USAGE: \(tool.name) <subcommand>\n\n"
        text += "OPTIONS:\n" + standardRows.joined()
        text += "\nSUBCOMMANDS:\n"
        for command in tool.commands {
            let label = command.name == tool.defaultCommand ? "\(command.name) (default)" : command.name
            text += row(label: label, help: command.abstract)
        }
        text += "\n  See '\(tool.name) help <subcommand>' for detailed help.\n"
        return text
    }

    /// One command's help: overview, usage, arguments and options with their values
    /// and defaults.
    public static func render(_ command: CommandSpec, of tool: ToolSpec) -> String {
        var text = overview(command.abstract, discussion: command.discussion)
        text += "USAGE: \(usage(command, of: tool))\n\n"
        if !command.arguments.isEmpty {
            text += "ARGUMENTS:\n"
            for argument in command.arguments {
                text += row(label: "<\(argument.name)>", help: argument.help)
            }
            text += "\n"
        }
        text += "OPTIONS:\n"
        for option in command.options {
            text += row(label: label(of: option), help: help(of: option))
        }
        text += standardRows.joined() + "\n"
        return text
    }

    /// The one-line synopsis: `swap-lint plan <file> [--model <model>] …`.
    public static func usage(_ command: CommandSpec, of tool: ToolSpec) -> String {
        var parts = ["\(tool.name) \(command.name)"]
        for argument in command.arguments {
            switch argument.arity {
            case .required: parts.append("<\(argument.name)>")
            case .optional: parts.append("[<\(argument.name)>]")
            case .repeating: parts.append("[<\(argument.name)> ...]")
            }
        }
        parts += command.options.map { "[\(label(of: $0))]" }
        return parts.joined(separator: " ")
    }

    private static let standardRows = [
        row(label: "--version", help: "Show the version."),
        row(label: "-h, --help", help: "Show help information."),
    ]

    private static func overview(_ abstract: String, discussion: String) -> String {
        var text = wrap("OVERVIEW: " + abstract, indent: 0) + "\n\n"
        if !discussion.isEmpty { text += wrap(discussion, indent: 0) + "\n\n" }
        return text
    }

    private static func label(of option: OptionSpec) -> String {
        switch option.kind {
        case .flag: "--\(option.name)"
        case .value: "--\(option.name) <\(option.name)>"
        }
    }

    private static func help(of option: OptionSpec) -> String {
        guard case .value(let allowed, let defaultValue) = option.kind else { return option.help }
        var details: [String] = []
        if !allowed.isEmpty { details.append("values: " + allowed.joined(separator: ", ")) }
        if let defaultValue { details.append("default: " + defaultValue) }
        return details.isEmpty ? option.help : option.help + " (" + details.joined(separator: "; ") + ")"
    }

    /// `label` indented by two, then `help` from the description column: on the same
    /// line when the label leaves room, else on the next.
    private static func row(label: String, help: String) -> String {
        let lead = "  " + label
        let body = wrap(help, indent: descriptionColumn)
        if lead.count < descriptionColumn {
            return lead + String(body.dropFirst(lead.count)) + "\n"
        }
        return lead + "\n" + body + "\n"
    }

    /// `text` broken at spaces into lines that fit `width` columns after `indent`
    /// spaces, each line indented. A line breaks before a word that would reach the
    /// last column; the text's final line may fill it.
    static func wrap(_ text: String, indent: Int) -> String {
        let columns = width - indent
        let margin = String(repeating: " ", count: indent)
        var lines: [Substring] = []
        var rest = Substring(text)
        while rest.count > columns {
            let window = rest.prefix(columns)
            if let space = window.lastIndex(of: " ") {
                lines.append(rest[..<space])
                rest = rest[rest.index(after: space)...]
            } else if let space = rest.firstIndex(of: " ") {
                lines.append(rest[..<space])
                rest = rest[rest.index(after: space)...]
            } else {
                break
            }
        }
        lines.append(rest)
        return lines.map { $0.isEmpty ? "" : margin + $0 }.joined(separator: "\n")
    }
}
