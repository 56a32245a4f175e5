import ConfigLang
import SwapLintCLI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `swap-lint check FILE…`: every diagnostic of each config.
struct CheckCommand {
    var options: CheckOptions

    func run() throws(ExitStatus) {
        var configs: [[String]] = options.files.map { [$0] }
        if options.configDirectory != nil { configs = [options.files] }
        var all: [Diagnostic] = []
        var sources: [String: SourceFile] = [:]
        let environment = Environment.current()
        for paths in configs {
            let config = try ConfigInput.load(files: paths, directory: options.configDirectory)
            sources.merge(ConfigInput.byName(config)) { first, _ in first }
            let result = PlanBuilder.compile(config, environment: environment)
            all += result.diagnostics
            if options.checkPaths, let plan = result.plan {
                all += PathCheck.check(plan, config: result.config, environment: environment)
            }
        }
        let useColor: Bool =
            switch options.color {
            case .always: true
            case .never: false
            case .auto: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil
            }
        let output = DiagnosticRenderer.render(all, format: options.format, sources: sources, color: useColor)
        Console.output(output)
        let threshold = options.strict ? min(options.failLevel, .warning) : options.failLevel
        let failed = all.contains(where: { $0.severity >= threshold })
        if failed { throw .failure }
    }
}
