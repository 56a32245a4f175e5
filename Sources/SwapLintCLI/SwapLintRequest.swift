import ConfigLang

/// What a `swap-lint` command line asks for, decoded into typed options.
public enum SwapLintRequest: Sendable, Equatable {
    /// Run a command.
    case run(SwapLintCommand)
    /// Print this help text to standard output and exit 0.
    case help(String)
    /// Print this version line to standard output and exit 0.
    case version(String)
    /// Print this text (error, usage, what to run next) to standard error and exit 2.
    case usageError(String)
}

/// A `swap-lint` command with its options.
public enum SwapLintCommand: Sendable, Equatable {
    /// `swap-lint check FILE…`.
    case check(CheckOptions)
    /// `swap-lint plan FILE`.
    case plan(PlanOptions)
    /// `swap-lint diff OLD NEW`.
    case diff(DiffOptions)
    /// `swap-lint schema`.
    case schema
    /// `swap-lint explain [CODE] [--list]`.
    case explain(ExplainOptions)
}

/// Options of `swap-lint check`.
public struct CheckOptions: Sendable, Equatable {
    /// Config files, each checked as its own config (one config with `configDirectory`).
    public var files: [String] = []
    /// A directory of config fragments merged into one config.
    public var configDirectory: String?
    /// How diagnostics are printed.
    public var format: OutputFormat = .human
    /// Lowest severity that fails the run.
    public var failLevel: Severity = .error
    /// Fail on warnings too.
    public var strict = false
    /// Also check that each model's program exists and is executable.
    public var checkPaths = false
    /// When human output is coloured.
    public var color: ColorChoice = .auto

    /// The defaults, as `swap-lint check` with no options has them.
    public init() {}
}

/// Options of `swap-lint plan`.
public struct PlanOptions: Sendable, Equatable {
    /// The config file.
    public var file: String
    /// A directory of config fragments merged into the config.
    public var configDirectory: String?
    /// Show only this model.
    public var model: String?
    /// JSON or YAML.
    public var format: PlanRenderer.Format = .json
    /// Hide secrets as swap-server's API does (``Plan/redacted(secrets:)``).
    public var redact = false

    /// The options for `file`, every other option at its default.
    public init(file: String) {
        self.file = file
    }
}

/// Options of `swap-lint diff`.
public struct DiffOptions: Sendable, Equatable {
    /// The config as it is now.
    public var old: String
    /// The config as it will be.
    public var new: String
    /// Text or JSON.
    public var format: DiffFormat = .text

    /// The options for two configs, text output.
    public init(old: String, new: String) {
        self.old = old
        self.new = new
    }
}

/// Options of `swap-lint explain`.
public struct ExplainOptions: Sendable, Equatable {
    /// The code or name to explain.
    public var code: String?
    /// List every code instead.
    public var list = false

    /// The options for `code`, or none.
    public init(code: String? = nil, list: Bool = false) {
        self.code = code
        self.list = list
    }
}

/// When to colour human output.
public enum ColorChoice: String, Sendable, CaseIterable {
    /// Colour when standard output is a terminal and `NO_COLOR` is not set.
    case auto
    /// Always colour.
    case always
    /// Never colour.
    case never
}

/// Output formats of `swap-lint diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    /// One `label: model` line per model.
    case text
    /// The diff as pretty JSON with sorted keys.
    case json
}
