import ArgumentParser
import ConfigLang
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `swap-lint check FILE…`: every diagnostic of each config.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check config files and print every problem found.",
        discussion: "Each FILE is checked as its own config; with --config-dir, the FILEs and the directory's "
            + "*.yaml/*.yml files form one config, merged the way llama-swap's -config-dir does.")

    @Argument(help: "Config files to check.") var files: [String] = []

    @Option(name: .customLong("config-dir"), help: "A directory of config fragments merged into one config.")
    var configDirectory: String?

    @Option(help: "Output format: human, gnu, json, sarif or github.")
    var format: OutputFormat = .human

    @Option(name: .customLong("fail-level"), help: "Lowest severity that fails the run: error, warning or note.")
    var failLevel: Severity = .error

    @Flag(help: "Fail on warnings too (same as --fail-level warning).")
    var strict = false

    @Flag(name: .customLong("check-paths"), help: "Also check that each model's program exists and is executable.")
    var checkPaths = false

    @Option(help: "Colour in human output: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if files.isEmpty && configDirectory == nil {
            throw ValidationError("give at least one config file, or --config-dir DIR")
        }
    }

    func run() throws {
        var configs: [[String]] = files.map { [$0] }
        if configDirectory != nil { configs = [files] }
        var all: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        var compiled: [PlanBuilder.Result] = []
        let environment = ProcessInfo.processInfo.environment
        for paths in configs {
            let config = try ConfigInput.load(files: paths, directory: configDirectory)
            sources.merge(ConfigInput.byName(config)) { first, _ in first }
            let result = PlanBuilder.compile(config, environment: environment, for: .diagnostics)
            all += result.diagnostics
            compiled.append(result)
            if checkPaths, let plan = result.plan {
                all += PathCheck.check(plan, config: result.config, environment: environment)
            }
        }
        let useColor: Bool =
            switch color {
            case .always: true
            case .never: false
            case .auto: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
            }
        let output = DiagnosticRenderer.render(all, format: format, sources: sources, color: useColor)
        Console.output(output)
        let threshold = strict ? min(failLevel, .warning) : failLevel
        let failed = all.contains(where: { $0.severity >= threshold })
        // Exits while the compiled configs are still alive: the process drops them at
        // once instead of freeing a large config object by object (a few ms).
        withExtendedLifetime(compiled) { Console.exit(failed ? 1 : 0) }
    }
}

/// When to colour human output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
