/// The lifecycle of one model's backend process, as pure logic: each event moves the
/// state and returns the side effects the caller (``Backend``) must perform. No
/// process, clock or network is touched here, so every transition is unit-tested.
///
/// Each spawn gets a new `generation`; events about an older process (a late health
/// result, an exit the machine has already accounted for, a grace timer from an
/// earlier stop) carry its generation and are ignored.
///
/// Waiting is implied by the state, not returned as an action: after
/// ``startRequested()`` a caller waits unless the state is ready; after
/// ``stopRequested()`` it waits while the state is stopping.
struct BackendStateMachine: Sendable {
    /// How a process ended.
    enum Exit: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it.
        case signaled(Int32)

        /// `exited with status N` or `was killed by signal N (NAME)`.
        var description: String {
            switch self {
            case .exited(let status):
                return "exited with status \(status)"
            case .signaled(let signal):
                let names: [Int32: String] = [
                    1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS",
                    8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 15: "SIGTERM",
                ]
                if let name = names[signal] {
                    return "was killed by signal \(signal) (\(name))"
                }
                return "was killed by signal \(signal)"
            }
        }
    }

    /// A side effect the caller performs, in the order returned.
    enum Action: Sendable, Hashable {
        /// Spawn the process for this generation, then report ``spawned(generation:pid:)``
        /// or ``spawnFailed(generation:reason:)``.
        case spawn(generation: Int)
        /// Poll the health check until 200 or the timeout; report
        /// ``healthSucceeded(generation:)`` or ``healthTimedOut(generation:)``.
        case beginHealthPolling(generation: Int)
        /// Hand the proxy URL to everyone waiting in `ensureReady`.
        case resumeReadyWaiters
        /// Throw this error to everyone waiting in `ensureReady`.
        case failReadyWaiters(BackendError)
        /// Run `cmdStop` (with `${PID}`) or send SIGTERM to the process group, and
        /// arm the grace timer that reports ``stopGraceExpired(generation:)``.
        case terminate(generation: Int, pid: Int32)
        /// Send SIGKILL to the process group.
        case kill(pid: Int32)
        /// Return from every pending `stop()`.
        case resumeStopWaiters
        /// Log that a ready backend died on its own.
        case reportUnexpectedExit(String)
    }

    /// The lifecycle state.
    enum State: Sendable, Hashable {
        case stopped
        case starting(generation: Int, pid: Int32?)
        case ready(generation: Int, pid: Int32)
        case stopping(Stopping)
        case failed(String)
    }

    /// What the machine remembers while a process is being stopped.
    struct Stopping: Sendable, Hashable {
        var generation: Int
        /// Nil while the spawn is still in flight.
        var pid: Int32?
        /// Set when the stop was caused by a failure (the final state is then failed).
        var failure: String?
        /// A start was requested meanwhile: spawn again once the process is gone.
        var restartRequested: Bool = false
        /// SIGKILL has been sent.
        var killed: Bool = false
    }

    let modelID: String
    /// The URL polled for readiness; nil = ready once spawned.
    let checkURL: String?
    let healthCheckTimeout: Duration
    private(set) var state: State = .stopped
    private var lastGeneration = 0

    /// Creates a machine in the stopped state.
    init(modelID: String, checkURL: String?, healthCheckTimeout: Duration) {
        self.modelID = modelID
        self.checkURL = checkURL
        self.healthCheckTimeout = healthCheckTimeout
    }

    /// The public view of the state.
    var publicState: BackendState {
        switch state {
        case .stopped: .stopped
        case .starting: .starting
        case .ready: .ready
        case .stopping: .stopping
        case .failed(let message): .failed(message)
        }
    }

    /// The PID of the current process, once known.
    var pid: Int32? {
        switch state {
        case .stopped, .failed: nil
        case .starting(_, let pid): pid
        case .ready(_, let pid): pid
        case .stopping(let stopping): stopping.pid
        }
    }

    // MARK: Requests

    /// Someone needs the backend ready. Concurrent requests share one start; a
    /// request during a stop restarts the backend once the old process is gone.
    mutating func startRequested() -> [Action] {
        switch state {
        case .stopped, .failed:
            return [beginStart()]
        case .starting, .ready:
            return []
        case .stopping(var stopping):
            stopping.restartRequested = true
            state = .stopping(stopping)
            return []
        }
    }

    /// Someone wants the backend stopped. Waiters for a start in progress fail.
    mutating func stopRequested() -> [Action] {
        switch state {
        case .stopped:
            return []
        case .failed:
            state = .stopped
            return []
        case .starting(let generation, let pid):
            state = .stopping(Stopping(generation: generation, pid: pid))
            let fail = Action.failReadyWaiters(.stoppedDuringStart(modelID: modelID))
            guard let pid else { return [fail] }
            return [fail, .terminate(generation: generation, pid: pid)]
        case .ready(let generation, let pid):
            state = .stopping(Stopping(generation: generation, pid: pid))
            return [.terminate(generation: generation, pid: pid)]
        case .stopping(var stopping):
            guard stopping.restartRequested else { return [] }
            stopping.restartRequested = false
            state = .stopping(stopping)
            return [.failReadyWaiters(.stoppedDuringStart(modelID: modelID))]
        }
    }

    // MARK: Process events

    /// The process for `generation` is running as `pid`.
    mutating func spawned(generation: Int, pid: Int32) -> [Action] {
        switch state {
        case .starting(generation, nil):
            if checkURL == nil {
                state = .ready(generation: generation, pid: pid)
                return [.resumeReadyWaiters]
            }
            state = .starting(generation: generation, pid: pid)
            return [.beginHealthPolling(generation: generation)]
        case .stopping(var stopping) where stopping.generation == generation && stopping.pid == nil:
            stopping.pid = pid
            state = .stopping(stopping)
            return [.terminate(generation: generation, pid: pid)]
        default:
            return []
        }
    }

    /// The process for `generation` could not be spawned at all.
    mutating func spawnFailed(generation: Int, reason: String) -> [Action] {
        switch state {
        case .starting(generation, nil):
            let error = BackendError.spawnFailed(modelID: modelID, reason: reason)
            state = .failed(error.message)
            return [.failReadyWaiters(error)]
        case .stopping(let stopping) where stopping.generation == generation && stopping.pid == nil:
            return finishStopping(stopping)
        default:
            return []
        }
    }

    /// The health check of `generation` answered 200.
    mutating func healthSucceeded(generation: Int) -> [Action] {
        guard case .starting(generation, let pid?) = state else { return [] }
        state = .ready(generation: generation, pid: pid)
        return [.resumeReadyWaiters]
    }

    /// The health check of `generation` did not answer 200 within the timeout. The
    /// waiters fail and the process is stopped.
    mutating func healthTimedOut(generation: Int) -> [Action] {
        guard case .starting(generation, let pid?) = state else { return [] }
        let error = BackendError.healthCheckTimedOut(
            modelID: modelID, checkURL: checkURL ?? "", timeout: healthCheckTimeout)
        state = .stopping(Stopping(generation: generation, pid: pid, failure: error.message))
        return [.failReadyWaiters(error), .terminate(generation: generation, pid: pid)]
    }

    /// The process of `generation` ended. `lastOutput` is its last line of output,
    /// quoted in the error when it died during start.
    mutating func processExited(generation: Int, exit: Exit, lastOutput: String? = nil) -> [Action] {
        switch state {
        case .starting(generation, _):
            let error = BackendError.exitedDuringStart(modelID: modelID, exit: exit, lastOutput: lastOutput)
            state = .failed(error.message)
            return [.failReadyWaiters(error)]
        case .ready(generation, _):
            let message = "backend for model \(modelID) \(exit) while ready; see /logs/stream/\(modelID)"
            state = .failed(message)
            return [.reportUnexpectedExit(message)]
        case .stopping(let stopping) where stopping.generation == generation:
            return finishStopping(stopping)
        default:
            return []
        }
    }

    /// The grace time of the stop of `generation` is over: kill the group if the
    /// process is still there.
    mutating func stopGraceExpired(generation: Int) -> [Action] {
        guard case .stopping(var stopping) = state, stopping.generation == generation,
            let pid = stopping.pid, !stopping.killed
        else { return [] }
        stopping.killed = true
        state = .stopping(stopping)
        return [.kill(pid: pid)]
    }

    // MARK: Helpers

    private mutating func beginStart() -> Action {
        lastGeneration += 1
        state = .starting(generation: lastGeneration, pid: nil)
        return .spawn(generation: lastGeneration)
    }

    private mutating func finishStopping(_ stopping: Stopping) -> [Action] {
        if stopping.restartRequested {
            return [.resumeStopWaiters, beginStart()]
        }
        state = stopping.failure.map { .failed($0) } ?? .stopped
        return [.resumeStopWaiters]
    }
}
