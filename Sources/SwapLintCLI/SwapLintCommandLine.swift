import ConfigLang

/// `swap-lint`'s command line: the commands and options it accepts, and the decoding
/// of a parsed command line into a ``SwapLintRequest``.
///
/// ```swift
/// switch SwapLintCommandLine.parse(Array(CommandLine.arguments.dropFirst())) {
/// case .run(let command): …
/// case .help(let text), .version(let text): print(text, terminator: "")
/// case .usageError(let text): writeToStandardError(text)  // then exit 2
/// }
/// ```
public enum SwapLintCommandLine {
    /// Every command, option and help text of `swap-lint`.
    public static let tool = ToolSpec(
        name: "swap-lint",
        abstract: "Check swap / llama-swap configuration files offline.",
        discussion: "Exit codes: 0 no problems at or above --fail-level, 1 problems found, 2 bad command line, "
            + "3 input could not be read or internal error.",
        version: SwapVersion.current,
        commands: [check, plan, diff, schema, explain],
        defaultCommand: "check")

    static let check = CommandSpec(
        name: "check",
        abstract: "Check config files and print every problem found.",
        discussion: "Each FILE is checked as its own config; with --config-dir, the FILEs and the directory's "
            + "*.yaml/*.yml files form one config, merged the way llama-swap's -config-dir does.",
        arguments: [ArgumentSpec("files", arity: .repeating, help: "Config files to check.")],
        options: [
            .value("config-dir", help: "A directory of config fragments merged into one config."),
            .choice(
                "format", of: OutputFormat.self, default: CheckOptions().format,
                help: "Output format: human, gnu, json, sarif or github."),
            .choice(
                "fail-level", of: Severity.self, default: CheckOptions().failLevel,
                help: "Lowest severity that fails the run: error, warning or note."),
            .flag("strict", help: "Fail on warnings too (same as --fail-level warning)."),
            .flag("check-paths", help: "Also check that each model's program exists and is executable."),
            .choice(
                "color", of: ColorChoice.self, default: CheckOptions().color,
                help: "Colour in human output: auto, always or never."),
        ])

    static let plan = CommandSpec(
        name: "plan",
        abstract: "Print the compiled plan: argv, ports, proxy URLs, groups and effective locks with provenance.",
        arguments: [ArgumentSpec("file", help: "The config file.")],
        options: [
            .value("config-dir", help: "A directory of config fragments merged into the config."),
            .value("model", help: "Show only this model."),
            .choice(
                "format", of: PlanRenderer.Format.self, default: PlanOptions(file: "").format,
                help: "Output format: json or yaml."),
            .flag(
                "redact",
                help: "Hide secrets (env values, values of key/token/secret/password flags, ${env.…} values)."),
        ])

    static let diff = CommandSpec(
        name: "diff",
        abstract: "Show which models a reload from OLD to NEW restarts, updates live, adds or removes.",
        arguments: [
            ArgumentSpec("old", help: "The config as it is now."),
            ArgumentSpec("new", help: "The config as it will be."),
        ],
        options: [
            .choice(
                "format", of: DiffFormat.self, default: DiffOptions(old: "", new: "").format,
                help: "Output format: text or json.")
        ])

    static let schema = CommandSpec(name: "schema", abstract: "Print the JSON Schema of the config format.")

    static let explain = CommandSpec(
        name: "explain",
        abstract: "Explain a diagnostic code, with a wrong and a right example.",
        arguments: [
            ArgumentSpec("code", arity: .optional, help: "A code such as SL201, or its name such as unknown-key.")
        ],
        options: [.flag("list", help: "List every code with its title.")])

    /// What `arguments` (without the program name) ask for. `helpWidth` is the width
    /// help text wraps at, only asked for when help is printed.
    public static func parse(
        _ arguments: [String], helpWidth: @autoclosure () -> Int = HelpRenderer.defaultWidth
    ) -> SwapLintRequest {
        switch CommandLineParser.parse(arguments, tool: tool) {
        case .help(let name):
            guard let name, let command = tool.command(named: name) else {
                return .help(HelpRenderer.render(tool, width: helpWidth()))
            }
            return .help(HelpRenderer.render(command, of: tool, width: helpWidth()))
        case .version:
            return .version(tool.version + "\n")
        case .failure(let error):
            return .usageError(errorText(error))
        case .run(let parsed):
            switch decode(parsed) {
            case .success(let command): return .run(command)
            case .failure(let error): return .usageError(errorText(error))
            }
        }
    }

    /// The text a usage error prints: the problem, the command's usage, and where the
    /// help is.
    public static func errorText(_ error: UsageError) -> String {
        guard let command = tool.command(named: error.command) else { return "error: \(error.message)\n" }
        return "error: \(error.message)\n"
            + "usage: \(HelpRenderer.usage(command, of: tool))\n"
            + "run `\(tool.name) \(command.name) --help` to see every option\n"
    }

    private static func decode(_ parsed: ParsedArguments) -> Result<SwapLintCommand, UsageError> {
        switch parsed.command {
        case "check":
            var options = CheckOptions()
            options.files = parsed.argument("files")
            options.configDirectory = parsed.values["config-dir"]
            options.format = choice(parsed, "format", default: options.format)
            options.failLevel = choice(parsed, "fail-level", default: options.failLevel)
            options.strict = parsed.flag("strict")
            options.checkPaths = parsed.flag("check-paths")
            options.color = choice(parsed, "color", default: options.color)
            if options.files.isEmpty && options.configDirectory == nil {
                return .failure(
                    UsageError(
                        "give at least one config file, or --config-dir DIR (`swap-lint config.yaml`)",
                        command: "check"))
            }
            return .success(.check(options))
        case "plan":
            var options = PlanOptions(file: parsed.argument("file").first ?? "")
            options.configDirectory = parsed.values["config-dir"]
            options.model = parsed.values["model"]
            options.format = choice(parsed, "format", default: options.format)
            options.redact = parsed.flag("redact")
            return .success(.plan(options))
        case "diff":
            var options = DiffOptions(old: parsed.argument("old").first ?? "", new: parsed.argument("new").first ?? "")
            options.format = choice(parsed, "format", default: options.format)
            return .success(.diff(options))
        case "schema":
            return .success(.schema)
        case "explain":
            return .success(.explain(ExplainOptions(code: parsed.argument("code").first, list: parsed.flag("list"))))
        default:
            preconditionFailure("`\(parsed.command)` is in the tool spec but not decoded")
        }
    }

    /// The option's value as `Choice` (the parser has already checked it is one).
    private static func choice<Choice: RawRepresentable>(
        _ parsed: ParsedArguments, _ name: String, default defaultValue: Choice
    ) -> Choice where Choice.RawValue == String {
        parsed.values[name].flatMap(Choice.init(rawValue:)) ?? defaultValue
    }
}
