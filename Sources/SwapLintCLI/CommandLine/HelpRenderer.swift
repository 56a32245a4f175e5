/// The help text of a tool and of each of its commands, laid out as the tool has
/// always printed it: an overview, a usage line, then labelled sections whose
/// descriptions start at column 26 and wrap at the terminal's width (80 columns when
/// there is no terminal).
public enum HelpRenderer {
    /// The width help text wraps at when there is no terminal to ask.
    public static let defaultWidth = 80
    /// The narrowest width honoured; a narrower terminal gets this.
    static let minimumWidth = 40
    /// The column where descriptions start.
    static let descriptionColumn = 26

    /// The tool's help: overview, exit codes, usage, options and the subcommand list.
    public static func render(_ tool: ToolSpec, width: Int = defaultWidth) -> String {
        let width = max(width, minimumWidth)
        var text = overview(tool.abstract, discussion: tool.discussion, width: width)
        text += "USAGE: \(tool.name) <subcommand>\n\n"
        text += "OPTIONS:\n" + standardRows(width: width)
        text += "\nSUBCOMMANDS:\n"
        for command in tool.commands {
            let label = command.name == tool.defaultCommand ? "\(command.name) (default)" : command.name
            text += row(label: label, help: command.abstract, width: width)
        }
        text += "\n  See '\(tool.name) help <subcommand>' for detailed help.\n"
        return text
    }

    /// One command's help: overview, usage, arguments and options with their values
    /// and defaults.
    public static func render(_ command: CommandSpec, of tool: ToolSpec, width: Int = defaultWidth) -> String {
        let width = max(width, minimumWidth)
        var text = overview(command.abstract, discussion: command.discussion, width: width)
        text += "USAGE: \(usage(command, of: tool))\n\n"
        if !command.arguments.isEmpty {
            text += "ARGUMENTS:\n"
            for argument in command.arguments {
                text += row(label: "<\(argument.name)>", help: argument.help, width: width)
            }
            text += "\n"
        }
        text += "OPTIONS:\n"
        for option in command.options {
            text += row(label: label(of: option), help: help(of: option), width: width)
        }
        text += standardRows(width: width) + "\n"
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

    private static func standardRows(width: Int) -> String {
        row(label: "--version", help: "Show the version.", width: width)
            + row(label: "-h, --help", help: "Show help information.", width: width)
    }

    private static func overview(_ abstract: String, discussion: String, width: Int) -> String {
        var text = wrap("OVERVIEW: " + abstract, indent: 0, width: width) + "\n\n"
        if !discussion.isEmpty { text += wrap(discussion, indent: 0, width: width) + "\n\n" }
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
    private static func row(label: String, help: String, width: Int) -> String {
        let lead = "  " + label
        let body = wrap(help, indent: descriptionColumn, width: width)
        if lead.count < descriptionColumn {
            return lead + String(body.dropFirst(lead.count)) + "\n"
        }
        return lead + "\n" + body + "\n"
    }

    /// `text` broken at spaces into lines that fit `width` columns after `indent`
    /// spaces, each line indented. A line breaks before a word that would reach the
    /// last column; the text's final line may fill it.
    static func wrap(_ text: String, indent: Int, width: Int) -> String {
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
