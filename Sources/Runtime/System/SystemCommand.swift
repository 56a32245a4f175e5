import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs a system tool (`nvidia-smi`, `rocm-smi`) when it is on `PATH`, for its output.
enum SystemCommand {
    /// The tool's full path when `PATH` has it.
    static func find(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// The standard output of `name arguments`, or nil when the tool is absent or fails.
    static func output(_ name: String, _ arguments: [String]) async -> String? {
        guard let executable = find(name) else { return nil }
        let result = try? await Subprocess.run(
            .path(.init(executable)), arguments: .init(arguments), output: .string(limit: 1 << 20),
            error: .discarded)
        guard let result, result.terminationStatus.isSuccess else { return nil }
        return result.standardOutput
    }
}
