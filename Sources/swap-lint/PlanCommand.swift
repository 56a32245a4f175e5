import ArgumentParser
import ConfigLang
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `swap-lint plan FILE`: the compiled plan, every effective value with provenance.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the compiled plan: argv, ports, proxy URLs, groups and effective locks with provenance.")

    @Argument(help: "The config file.") var file: String

    @Option(name: .customLong("config-dir"), help: "A directory of config fragments merged into the config.")
    var configDirectory: String?

    @Option(help: "Show only this model.") var model: String?

    @Option(help: "Output format: json or yaml.") var format: PlanRenderer.Format = .json

    func run() throws {
        let sources = try ConfigInput.load(files: [file], directory: configDirectory)
        let result = PlanBuilder.compile(sources, environment: ProcessInfo.processInfo.environment)
        guard let plan = result.plan else {
            let text = DiagnosticRenderer.render(
                result.diagnostics, format: .human, sources: ConfigInput.byName(sources), color: false)
            Console.error(text)
            throw ExitCode(1)
        }
        if let model, plan.models[model] == nil {
            Console.error("swap-lint: no model `\(model)` in \(file)\n")
            throw ExitCode(1)
        }
        Console.output(bytes: PlanRenderer.renderUTF8(plan, model: model, format: format))
        // Exits with the compiled plan still alive: the process drops it at once.
        withExtendedLifetime(result) { Console.exit(0) }
    }
}

/// `swap-lint diff OLD NEW`: what a reload from OLD to NEW would do to each model.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show which models a reload from OLD to NEW restarts, updates live, adds or removes.")

    @Argument(help: "The config as it is now.") var old: String
    @Argument(help: "The config as it will be.") var new: String

    @Option(help: "Output format: text or json.") var format: DiffFormat = .text

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var plans: [Plan] = []
        for path in [old, new] {
            let sources = try ConfigInput.load(files: [path], directory: nil)
            let result = PlanBuilder.compile(sources, environment: environment)
            guard let plan = result.plan else {
                let text = DiagnosticRenderer.render(
                    result.diagnostics, format: .human, sources: ConfigInput.byName(sources), color: false)
                Console.error(text)
                throw ExitCode(1)
            }
            plans.append(plan)
        }
        let diff = Plan.diff(from: plans[0], to: plans[1])
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(diff), as: UTF8.self))
        case .text:
            for (label, ids) in [
                ("restart", diff.restart), ("apply live", diff.applyLive), ("add", diff.added),
                ("remove", diff.removed), ("unchanged", diff.unchanged),
            ] {
                for id in ids { print("\(label): \(id)") }
            }
        }
    }
}

/// Output formats of `swap-lint diff`.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

extension PlanRenderer.Format: ExpressibleByArgument {}
