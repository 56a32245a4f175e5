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
}
