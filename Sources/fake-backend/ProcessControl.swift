import Dispatch
import Foundation
import Synchronization

/// Process-level behaviour that is not about HTTP: how SIGTERM is treated and the
/// self-inflicted exit of `--exit-after-ms`.
enum ProcessControl {
    /// How long a SIGTERM'd server may spend draining in-flight requests before the process
    /// exits anyway, so "graceful" never means "slow" for the supervisor under test.
    static let terminationGrace: Duration = .seconds(2)

    /// Set once the socket is bound; before that a SIGTERM exits at once.
    static let isServing = Atomic<Bool>(false)

    /// Ignores SIGTERM for the life of the process, so only SIGKILL can stop it.
    static func ignoreSIGTERM() {
        signal(SIGTERM, SIG_IGN)
        StandardOutput.log("ignoring SIGTERM (--ignore-sigterm)")
    }

    /// Backs up the server's graceful shutdown on SIGTERM: exits 0 immediately while still
    /// "loading", or after ``terminationGrace`` if draining takes longer than that.
    ///
    /// Returns the signal source, which must be kept alive. Swift-service-lifecycle's own
    /// SIGTERM source (installed later by `runService`) receives the same signal: Dispatch
    /// delivers it to every source registered for it.
    static func installTerminationDeadline() -> any DispatchSourceSignal {
        signal(SIGTERM, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        source.setEventHandler {
            guard isServing.load(ordering: .acquiring) else {
                StandardOutput.log("SIGTERM while starting; exiting")
                exit(0)
            }
            StandardOutput.log("SIGTERM; shutting down")
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(Int(terminationGrace.components.seconds))) {
                StandardOutput.log("graceful shutdown exceeded \(terminationGrace); exiting")
                exit(0)
            }
        }
        source.resume()
        return source
    }

    /// Exits with status 4 `milliseconds` after this call, whatever the server is doing.
    static func scheduleExit(afterMilliseconds milliseconds: Int) {
        Task.detached {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            StandardOutput.log("exiting after \(milliseconds) ms (--exit-after-ms)")
            exit(4)
        }
    }
}
