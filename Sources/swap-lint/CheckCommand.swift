import ArgumentParser
import ConfigLang
import Foundation

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
        let environment = ProcessInfo.processInfo.environment
        for paths in configs {
            let config = try ConfigInput.load(files: paths, directory: configDirectory)
            sources.merge(ConfigInput.byName(config)) { first, _ in first }
            let result = PlanBuilder.compile(config, environment: environment)
            all += result.diagnostics
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
        FileHandle.standardOutput.write(Data(output.utf8))
        let threshold = strict ? min(failLevel, .warning) : failLevel
        if all.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }
}

/// When to colour human output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
