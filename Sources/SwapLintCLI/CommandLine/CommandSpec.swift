/// What a command accepts: its positional arguments and its `--long` options, with the
/// text its help shows. The parser and the help renderer both read it, so the help
/// cannot drift from what is parsed.
///
/// ```swift
/// let plan = CommandSpec(
///     name: "plan", abstract: "Print the compiled plan.",
///     arguments: [ArgumentSpec("file", help: "The config file.")],
///     options: [.value("model", help: "Show only this model.")])
/// ```
public struct CommandSpec: Sendable {
    /// The word that selects the command (`check`).
    public var name: String
    /// One sentence: the first line of the help and the subcommand list's entry.
    public var abstract: String
    /// A paragraph printed under the abstract; empty for none.
    public var discussion: String
    /// Positional arguments in the order they are filled.
    public var arguments: [ArgumentSpec]
    /// Options in the order the help lists them.
    public var options: [OptionSpec]

    /// A command; `discussion` defaults to none.
    public init(
        name: String, abstract: String, discussion: String = "", arguments: [ArgumentSpec] = [],
        options: [OptionSpec] = []
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
    }

    /// The option spelled `--name`, if the command has one.
    public func option(named name: some StringProtocol) -> OptionSpec? {
        options.first { $0.name == name }
    }
}

/// A positional argument of a command.
public struct ArgumentSpec: Sendable {
    /// How many values the argument takes.
    public enum Arity: Sendable {
        /// Exactly one; missing is a usage error.
        case required
        /// Zero or one.
        case optional
        /// Any number, including none: every remaining positional value.
        case repeating
    }

    /// The name shown as `<name>` in usage and help.
    public var name: String
    /// How many values it takes.
    public var arity: Arity
    /// One sentence for the help.
    public var help: String

    /// An argument, required unless `arity` says otherwise.
    public init(_ name: String, arity: Arity = .required, help: String) {
        self.name = name
        self.arity = arity
        self.help = help
    }
}

/// A `--long` option of a command: a flag, or an option that takes a value.
public struct OptionSpec: Sendable {
    /// A flag or an option with a value.
    public enum Kind: Sendable, Equatable {
        /// Present or absent; `--name=value` is a usage error.
        case flag
        /// Takes a value as `--name value` or `--name=value`. When `allowed` is not
        /// empty the value must be one of them; `defaultValue` is what the help shows
        /// (the parsed result has no entry when the option is absent; the command's
        /// options struct keeps its own default, which the spec is built from).
        case value(allowed: [String], defaultValue: String?)
    }

    /// The name without the leading `--`.
    public var name: String
    /// Flag or value.
    public var kind: Kind
    /// One sentence for the help.
    public var help: String

    /// An option of any kind.
    public init(_ name: String, kind: Kind, help: String) {
        self.name = name
        self.kind = kind
        self.help = help
    }

    /// A flag.
    public static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, kind: .flag, help: help)
    }

    /// An option taking any value, with no default.
    public static func value(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name, kind: .value(allowed: [], defaultValue: nil), help: help)
    }

    /// An option taking one of the raw values of `type`, `defaultValue` when absent.
    public static func choice<Choice: CaseIterable & RawRepresentable>(
        _ name: String, of type: Choice.Type, default defaultValue: Choice, help: String
    ) -> OptionSpec where Choice.RawValue == String {
        OptionSpec(
            name, kind: .value(allowed: Choice.allCases.map(\.rawValue), defaultValue: defaultValue.rawValue),
            help: help)
    }
}

/// A tool made of subcommands, one of which runs when the first word names none.
public struct ToolSpec: Sendable {
    /// The executable's name (`swap-lint`).
    public var name: String
    /// One sentence for the tool's help.
    public var abstract: String
    /// A paragraph under the abstract (the exit codes); empty for none.
    public var discussion: String
    /// What `--version` prints.
    public var version: String
    /// The subcommands, in the order the help lists them.
    public var commands: [CommandSpec]
    /// The name of the command that runs when the first word is not a command name.
    public var defaultCommand: String

    /// A tool; `defaultCommand` must be the name of one of `commands`.
    public init(
        name: String, abstract: String, discussion: String, version: String, commands: [CommandSpec],
        defaultCommand: String
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.version = version
        self.commands = commands
        self.defaultCommand = defaultCommand
    }

    /// The command called `name`, if there is one.
    public func command(named name: some StringProtocol) -> CommandSpec? {
        commands.first { $0.name == name }
    }
}
