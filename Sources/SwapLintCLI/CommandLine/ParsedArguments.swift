/// A command line that parsed: the command and the values given to it, checked
/// against its ``CommandSpec`` (every option known, every choice allowed, every
/// required argument present).
public struct ParsedArguments: Sendable, Equatable {
    /// The name of the command that runs.
    public var command: String
    /// Each positional argument's values, by argument name (absent when none given).
    public var arguments: [String: [String]]
    /// Each value option that was given, by name; the last one wins when repeated.
    public var values: [String: String]
    /// The flags that were given.
    public var flags: Set<String>

    /// A parse result.
    public init(
        command: String, arguments: [String: [String]] = [:], values: [String: String] = [:],
        flags: Set<String> = []
    ) {
        self.command = command
        self.arguments = arguments
        self.values = values
        self.flags = flags
    }

    /// The values of the positional argument `name` (empty when none were given).
    public func argument(_ name: String) -> [String] {
        arguments[name] ?? []
    }

    /// True when the flag `--name` was given.
    public func flag(_ name: String) -> Bool {
        flags.contains(name)
    }
}

/// What a command line asks for.
public enum ParseOutcome: Sendable, Equatable {
    /// Run a command.
    case run(ParsedArguments)
    /// Print help: the named command's, or the tool's when `command` is nil.
    case help(command: String?)
    /// Print the version.
    case version
    /// The command line is wrong: print the error and exit 2.
    case failure(UsageError)
}

/// A command line that cannot run, with a message saying what is wrong.
public struct UsageError: Error, Sendable, Equatable {
    /// What is wrong and, when it can tell, how to fix it (no trailing newline).
    public var message: String
    /// The command whose usage the error text shows.
    public var command: String

    /// An error in the use of `command`.
    public init(_ message: String, command: String) {
        self.message = message
        self.command = command
    }
}
