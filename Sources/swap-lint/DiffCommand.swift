import ConfigLang
import SwapLintCLI

/// `swap-lint diff OLD NEW`: what a reload from OLD to NEW would do to each model.
struct DiffCommand {
    var options: DiffOptions

    func run() throws(ExitStatus) {
        let environment = Environment.current()
        var plans: [Plan] = []
        for path in [options.old, options.new] {
            let sources = try ConfigInput.load(files: [path], directory: nil)
            let result = PlanBuilder.compile(sources, environment: environment)
            guard let plan = result.plan else {
                let text = DiagnosticRenderer.render(
                    result.diagnostics, format: .human, sources: ConfigInput.byName(sources), color: false)
                Console.error(text)
                throw .failure
            }
            plans.append(plan)
        }
        let diff = Plan.diff(from: plans[0], to: plans[1])
        switch options.format {
        case .json:
            Console.output(diff.prettyJSON)
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
