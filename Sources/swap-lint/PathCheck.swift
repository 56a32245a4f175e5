import ConfigLang

/// `--check-paths`: the program each model's `cmd` runs exists and is executable.
/// This is the only check that looks at the file system, so it lives in the CLI.
enum PathCheck {
    /// Diagnostics for every model whose program cannot be found or run.
    static func check(_ plan: Plan, config: Config?, environment: [String: String]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let searchPath = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for model in config?.models ?? [] {
            guard let program = plan.models[model.id.value]?.argvTemplate.first, !program.contains("${") else {
                continue
            }
            let span = model.cmd?.span ?? model.id.span
            let candidates =
                program.contains("/") ? [program] : searchPath.map { ($0.isEmpty ? "." : $0) + "/" + program }
            guard let found = candidates.first(where: { FileSystem.exists(atPath: $0) }) else {
                diagnostics.append(
                    Diagnostic(
                        .commandNotFound, "`\(program)` (the program model `\(model.id.value)` runs) does not exist",
                        at: span,
                        help: program.contains("/")
                            ? "check the path, or install the backend there" : "install it, or give its full path"))
                continue
            }
            if !FileSystem.isExecutable(atPath: found) {
                diagnostics.append(
                    Diagnostic(
                        .commandNotExecutable, "`\(found)` exists but is not executable", at: span,
                        help: "run `chmod +x \(found)`"))
            }
        }
        return diagnostics
    }
}
