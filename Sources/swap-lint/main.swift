import ArgumentParser
import ConfigLang

/// `swap-lint`: checks swap (llama-swap format) configs offline.
struct SwapLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap-lint",
        abstract: "Check swap / llama-swap configuration files offline.",
        version: SwapVersion.current,
        subcommands: [CheckCommand.self, SchemaCommand.self, ExplainCommand.self],
        defaultSubcommand: CheckCommand.self
    )
}

SwapLint.main()
