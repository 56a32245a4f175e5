import ArgumentParser
import ConfigLang
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// `swap-lint`: checks swap (llama-swap format) configs offline.
struct SwapLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap-lint",
        abstract: "Check swap / llama-swap configuration files offline.",
        discussion: "Exit codes: 0 no problems at or above --fail-level, 1 problems found, 2 bad command line, "
            + "3 input could not be read or internal error.",
        version: SwapVersion.current,
        subcommands: [CheckCommand.self, PlanCommand.self, DiffCommand.self, SchemaCommand.self, ExplainCommand.self],
        defaultSubcommand: CheckCommand.self
    )
}

/// Runs the command, mapping argument errors to exit code 2 as the spec asks
/// (ArgumentParser's own default is 64).
func runSwapLint() -> Never {
    do {
        var command = try SwapLint.parseAsRoot()
        try command.run()
        exit(0)
    } catch let code as ExitCode {
        exit(code.rawValue)
    } catch {
        let code = SwapLint.exitCode(for: error)
        if code == .success {
            print(SwapLint.fullMessage(for: error))
            exit(0)
        }
        let message = SwapLint.fullMessage(for: error)
        Console.error(message + "\n")
        exit(code == .validationFailure ? 2 : 3)
    }
}

runSwapLint()
