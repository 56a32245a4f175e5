import ConfigLang
import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// The swap-server executable's own flags.
struct ServerCommandLineTests {
    @Test("--version and llama-swap's -version print the package's version")
    func version() async throws {
        for flag in ["--version", "-version"] {
            let result = try await Subprocess.run(
                .path(FilePath(ServerHarness.swapServer)), arguments: [flag], output: .string(limit: 4096),
                error: .discarded)
            #expect(result.terminationStatus == .exited(0))
            #expect(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == SwapVersion.current)
        }
    }

    @Test("connection and shutdown flags refuse values that are not positive, saying what to pass")
    func limitFlagsAreChecked() async throws {
        for (flag, value) in [
            ("--shutdown-grace", "0"), ("--header-timeout", "-1"), ("--write-timeout", "nan"),
            ("--max-connections", "0"),
        ] {
            let result = try await Subprocess.run(
                .path(FilePath(ServerHarness.swapServer)), arguments: ["--config", "/nonexistent.yaml", flag, value],
                output: .discarded, error: .string(limit: 4096))
            #expect(result.terminationStatus != .exited(0))
            #expect(result.standardError.contains(flag), "\(flag) \(value): \(result.standardError)")
        }
    }
}
