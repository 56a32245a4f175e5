import Foundation
import Subprocess
import SwapTestSupport

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a process for the duration of `body`, then terminates it.
enum ProcessRunner {
    static func withProcess<T: Sendable>(
        _ path: String, _ arguments: [String], _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withProcessID(path, arguments) { _ in try await body() }
    }

    /// Like ``withProcess(_:_:_:)``, handing `body` the process ID.
    static func withProcessID<T: Sendable>(
        _ path: String, _ arguments: [String], _ body: @Sendable (pid_t) async throws -> T
    ) async throws -> T {
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments), input: .none, output: .discarded, error: .discarded
        ) { execution in
            do {
                let value = try await body(execution.processIdentifier.value)
                try? execution.send(signal: .terminate)
                return value
            } catch {
                try? execution.send(signal: .terminate)
                throw error
            }
        }
        return result.closureResult
    }
}
