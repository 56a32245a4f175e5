import ConfigLang
import SwapLintCLI

/// `swap-lint plan FILE`: the compiled plan, every effective value with provenance.
struct PlanCommand {
    var options: PlanOptions

    func run() throws(ExitStatus) {
        let sources = try ConfigInput.load(files: [options.file], directory: options.configDirectory)
        let result = PlanBuilder.compile(sources, environment: Environment.current())
        guard let plan = result.plan else {
            let text = DiagnosticRenderer.render(
                result.diagnostics, format: .human, sources: ConfigInput.byName(sources), color: false)
            Console.error(text)
            throw .failure
        }
        if let model = options.model, plan.models[model] == nil {
            Console.error("swap-lint: no model `\(model)` in \(options.file)\n")
            throw .failure
        }
        let shown =
            options.redact
            ? plan.redacted(
                secrets: SecretHiding.environmentValues(
                    referencedIn: sources.map { String(decoding: $0.bytes, as: UTF8.self) },
                    environment: Environment.current()))
            : plan
        Console.output(PlanRenderer.render(shown, model: options.model, format: options.format))
    }
}
