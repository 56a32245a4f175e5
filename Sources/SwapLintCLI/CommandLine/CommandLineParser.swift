import ConfigLang

/// Turns a tool's arguments (without the program name) into a ``ParseOutcome``.
///
/// - The first word picks the command when it names one; otherwise the tool's default
///   command gets every word. `help [COMMAND]` asks for help.
/// - `-h`/`--help` anywhere before `--` asks for help (the command's, or the tool's
///   when nothing else was given); `--version` anywhere before `--` asks for the version.
/// - Options are `--name value` or `--name=value`; a flag takes no value. A repeated
///   option keeps its last value. `--` ends the options: every later word is positional.
/// - Positional words fill the command's arguments in order.
///
/// ```swift
/// let outcome = CommandLineParser.parse(["--strict", "config.yaml"], tool: tool)
/// ```
public enum CommandLineParser {
    /// What `arguments` ask `tool` to do, or what is wrong with them.
    public static func parse(_ arguments: [String], tool: ToolSpec) -> ParseOutcome {
        var words = arguments[...]
        let named = words.first.flatMap { tool.command(named: $0) }
        if words.first == "help" {
            return .help(command: words.dropFirst().first.flatMap { tool.command(named: $0) }?.name)
        }
        if named != nil { words = words.dropFirst() }
        let optionWords = words.prefix { $0 != "--" }
        if optionWords.contains(where: isHelp) {
            if let named { return .help(command: named.name) }
            if let first = words.first, isHelp(first), words.count > 1,
                let command = tool.command(named: words[words.startIndex + 1])
            {
                return .help(command: command.name)
            }
            return .help(command: words.count > 1 ? tool.defaultCommand : nil)
        }
        if optionWords.contains("--version") { return .version }
        guard let command = named ?? tool.command(named: tool.defaultCommand) else {
            preconditionFailure("the default command \(tool.defaultCommand) is not one of the tool's commands")
        }
        switch parse(words, for: command) {
        case .success(let parsed): return .run(parsed)
        case .failure(let error): return .failure(error)
        }
    }

    private static func isHelp(_ word: String) -> Bool {
        word == "-h" || word == "--help"
    }

    private static func parse(_ words: ArraySlice<String>, for command: CommandSpec) -> Result<
        ParsedArguments, UsageError
    > {
        var parsed = ParsedArguments(command: command.name)
        var positionals: [String] = []
        var words = words
        var optionsEnded = false
        while let word = words.popFirst() {
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            let body = word.hasPrefix("--") ? word.dropFirst(2) : word.dropFirst()
            let equals = body.firstIndex(of: "=")
            let name = equals.map { body[..<$0] } ?? body
            let inline = equals.map { String(body[body.index(after: $0)...]) }
            guard word.hasPrefix("--"), let option = command.option(named: name) else {
                return .failure(unknownOption(word, name: name, command: command))
            }
            switch option.kind {
            case .flag:
                if let inline {
                    return .failure(
                        UsageError(
                            "`--\(option.name)` is a flag and takes no value, but `\(inline)` was given; "
                                + "write `--\(option.name)` alone",
                            command: command.name))
                }
                parsed.flags.insert(option.name)
            case .value(let allowed, _):
                var value = inline
                if value == nil, let next = words.first, next == "-" || !next.hasPrefix("-") {
                    value = words.popFirst()
                }
                guard let value else {
                    let choices = allowed.isEmpty ? "" : " (one of: \(allowed.joined(separator: ", ")))"
                    return .failure(
                        UsageError(
                            "`--\(option.name)` needs a value\(choices): write `--\(option.name) <\(option.name)>`",
                            command: command.name))
                }
                if !allowed.isEmpty, !allowed.contains(value) {
                    return .failure(
                        UsageError(
                            "`\(value)` is not a valid value for `--\(option.name)`; use one of: "
                                + allowed.joined(separator: ", "),
                            command: command.name))
                }
                parsed.values[option.name] = value
            }
        }
        return assign(positionals[...], to: command, into: parsed)
    }

    private static func unknownOption(_ word: String, name: Substring, command: CommandSpec) -> UsageError {
        let known = command.options.map(\.name) + ["help", "version"]
        var message = "unknown option `\(word)`"
        if word.hasPrefix("--"), let suggestion = Suggestion.closest(to: String(name), among: known) {
            message += "; did you mean `--\(suggestion)`?"
        } else if !word.hasPrefix("--"), command.option(named: name) != nil {
            message += "; did you mean `--\(name)`?"
        }
        return UsageError(message, command: command.name)
    }

    private static func assign(
        _ positionals: ArraySlice<String>, to command: CommandSpec, into parsed: ParsedArguments
    ) -> Result<ParsedArguments, UsageError> {
        var parsed = parsed
        var remaining = positionals
        for argument in command.arguments {
            switch argument.arity {
            case .required:
                guard let value = remaining.popFirst() else {
                    return .failure(
                        UsageError(
                            "missing the <\(argument.name)> argument (\(argument.help.lowercasingFirst))",
                            command: command.name))
                }
                parsed.arguments[argument.name] = [value]
            case .optional:
                if let value = remaining.popFirst() { parsed.arguments[argument.name] = [value] }
            case .repeating:
                if !remaining.isEmpty { parsed.arguments[argument.name] = Array(remaining) }
                remaining = []
            }
        }
        if let extra = remaining.first {
            let what = command.arguments.isEmpty ? "takes no arguments" : "takes no more arguments"
            return .failure(
                UsageError("unexpected argument `\(extra)`: `\(command.name)` \(what)", command: command.name))
        }
        return .success(parsed)
    }
}

extension String {
    /// The string with its first character lowercased ("The config file." → "the config file.").
    fileprivate var lowercasingFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}
