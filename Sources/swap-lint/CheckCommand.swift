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

    @Option(help: "Colour in human output: auto, always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if files.isEmpty && configDirectory == nil {
            throw ValidationError("give at least one config file, or --config-dir DIR")
        }
    }

    func run() throws {
        var configs: [[String]] = files.map { [$0] }
        if let directory = configDirectory {
            configs = [files + (try directoryFiles(directory))]
        }
        var all: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        let environment = ProcessInfo.processInfo.environment
        for paths in configs {
            var config: [SourceFile] = []
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("swap-lint: cannot read \(path): no such file or not readable\n".utf8))
                    throw ExitCode(3)
                }
                let source = SourceFile(name: path, bytes: [UInt8](data))
                sources[path] = source
                config.append(source)
            }
            all += ConfigChecker.check(config, environment: environment).diagnostics
        }
        let useColor: Bool =
            switch color {
            case .always: true
            case .never: false
            case .auto: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
            }
        let output = DiagnosticRenderer.render(all, format: format, sources: sources, color: useColor)
        if !output.isEmpty || format == .json || format == .sarif {
            FileHandle.standardOutput.write(Data(output.utf8))
        }
        let threshold = strict ? min(failLevel, .warning) : failLevel
        if all.contains(where: { $0.severity >= threshold }) {
            throw ExitCode(1)
        }
    }

    private func directoryFiles(_ directory: String) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            FileHandle.standardError.write(Data("swap-lint: cannot read directory \(directory)\n".utf8))
            throw ExitCode(3)
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
            directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
        }
    }
}

/// When to colour human output.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

extension OutputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
