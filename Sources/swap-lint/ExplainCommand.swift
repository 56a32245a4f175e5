import ArgumentParser
import ConfigLang

/// `swap-lint explain CODE`: what a diagnostic code means.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a diagnostic code, with a wrong and a right example.")

    @Argument(help: "A code such as SL201.") var code: String

    func run() throws {
        // PLACEHOLDER: the renderer helper implements this.
    }
}
