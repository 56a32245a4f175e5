import ArgumentParser
import ConfigLang

/// `swap-lint check FILE…`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Check config files.")

    @Argument(help: "Config files to check.") var files: [String] = []

    func run() throws {
        // PLACEHOLDER: written next.
    }
}
