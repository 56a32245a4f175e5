import SwapLintCLI

/// `swap-lint`: checks swap (llama-swap format) configs offline. Exit codes: 0 no
/// problems at or above the fail level, 1 problems found, 2 bad command line, 3 input
/// could not be read or internal error.
func runSwapLint() -> Never {
    switch SwapLintCommandLine.parse(Array(CommandLine.arguments.dropFirst()), helpWidth: Console.width()) {
    case .help(let text), .version(let text):
        Console.output(text)
        Console.exit(0)
    case .usageError(let text):
        Console.error(text)
        Console.exit(2)
    case .run(let command):
        do {
            switch command {
            case .check(let options): try CheckCommand(options: options).run()
            case .plan(let options): try PlanCommand(options: options).run()
            case .diff(let options): try DiffCommand(options: options).run()
            case .schema: SchemaCommand.run()
            case .explain(let options): try ExplainCommand(options: options).run()
            }
            Console.exit(0)
        } catch {
            Console.exit(error.code)
        }
    }
}

runSwapLint()
