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
            guard let bytes = inputBytes(paths, directory: directory) else { return }
            let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
            let mode = FileSystem.contents(atPath: "/sys/kernel/mm/transparent_hugepage/enabled")
                .map { String(decoding: $0, as: UTF8.self) }
            guard let tunables = HugePageAdvice.tunables(kernelMode: mode, currentTunables: current, inputBytes: bytes)
            else { return }
            guard setenv("GLIBC_TUNABLES", tunables, 1) == 0 else { return }
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Still here: exec failed. Put the environment back and go on.
            if let current { setenv("GLIBC_TUNABLES", current, 1) } else { unsetenv("GLIBC_TUNABLES") }
        #endif
    }

    #if os(Linux) && canImport(Glibc)
        /// Total size of the inputs, or nil when one is not a regular file. Stops counting
        /// once the threshold is reached.
        private static func inputBytes(_ paths: [String], directory: String?) -> Int? {
            var total = 0
            for path in paths {
                var status = stat()
                guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
                total += Int(status.st_size)
                if total >= HugePageAdvice.minimumInputBytes { return total }
            }
            // Fragments in a directory count only when the files alone are too small;
            // they are summed the same way.
            guard let directory, let names = FileSystem.directoryEntries(atPath: directory) else { return total }
            for name in names where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                var status = stat()
                guard stat(directory + "/" + name, &status) == 0 else { continue }
                total += Int(status.st_size)
            }
            return total
        }
    #endif
}
