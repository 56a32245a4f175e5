import SwapLintCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `swap-lint` again with glibc's huge-page tunable when `HugePageAdvice` says a
/// large config is worth it. Any failure on the way (no `/proc`, exec refused) leaves
/// this process running as it is.
enum HugePageRestart {
    /// Restarts for the config-reading commands when their inputs are large enough.
    static func restartIfWorthwhile(for command: SwapLintCommand) {
        switch command {
        case .check(let options): restartIfWorthwhile(inputs: options.files, directory: options.configDirectory)
        case .plan(let options): restartIfWorthwhile(inputs: [options.file], directory: options.configDirectory)
        case .diff(let options): restartIfWorthwhile(inputs: [options.old, options.new], directory: nil)
        case .schema, .explain: break
        }
    }

    static func restartIfWorthwhile(inputs paths: [String], directory: String?) {
        #if os(Linux) && canImport(Glibc)
            // A set-user-ID run gets glibc's tunables stripped, so the second start would
            // not see the first's: never restart there.
            guard getuid() == geteuid(), getgid() == getegid() else { return }
            let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
            guard
                let tunables = HugePageAdvice.tunables(
                    currentTunables: current, inputBytes: inputBytes(paths, directory: directory),
                    kernelMode: FileSystem.contents(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")
                        .map { String(decoding: $0, as: UTF8.self) })
            else { return }
            guard setenv("GLIBC_TUNABLES", tunables, 1) == 0 else { return }
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Still here: exec failed. Put the environment back and go on.
            if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
        #endif
    }

    /// Total size of the files a command will read, or nil when one is not a regular
    /// file (a pipe cannot be read twice) or the directory cannot be listed.
    private static func inputBytes(_ files: [String], directory: String?) -> Int? {
        guard let paths = ConfigInput.paths(files: files, directory: directory) else { return nil }
        var total = 0
        for path in paths {
            guard let size = FileSystem.regularFileSize(atPath: path) else { return nil }
            total += size
        }
        return total
    }
}
