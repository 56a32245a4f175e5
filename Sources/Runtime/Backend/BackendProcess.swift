import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Runs one backend process with swift-subprocess, outside any actor: spawns it in
/// its own process group, pumps its stdout and stderr into a ``LogHub`` line by line,
/// and returns how it ended as soon as it has exited.
///
/// When the process exits, whatever is left of its process group (children it
/// forked and did not take down with it) is killed, so a backend never leaves
/// orphans holding its port or its GPU memory.
enum BackendProcess {
    /// What to run.
    struct Spec: Sendable {
        /// Log source: the model ID.
        var modelID: String
        /// The backend's argv.
        var command: [String]
        /// `NAME=value` entries added to the inherited environment.
        var environment: [String]
        /// The swap-server binary to launch through (see ``ProcessLauncher``); nil
        /// spawns `command` directly.
        var launcher: String?
    }

    /// How a run ended.
    enum Outcome: Sendable, Hashable {
        /// The process could not be spawned; the reason is for a user.
        case failedToSpawn(String)
        /// The process ran and exited; `lastOutput` is its last line of output.
        case exited(BackendStateMachine.Exit, lastOutput: String?)
    }

    /// Runs `spec` to completion. `onSpawn` is awaited with the PID before any output
    /// is read.
    static func run(
        _ spec: Spec, logs: LogHub, onSpawn: @escaping @Sendable (Int32) async -> Void
    ) async -> Outcome {
        guard let program = spec.command.first, !program.isEmpty else {
            return .failedToSpawn("the command is empty")
        }
        var options = PlatformOptions()
        options.processGroupID = 0
        let environment = Environment.inherit.updating(environmentUpdates(spec.environment))
        do {
            if let launcher = spec.launcher {
                // stdin is a pipe we hold open and never write: the launcher's watchdog
                // sees end of file when this process dies. `run` closes it only after
                // the body returns, that is after the backend has exited.
                let result = try await Subprocess.run(
                    .path(.init(launcher)), arguments: Arguments(ProcessLauncher.arguments(for: spec.command)),
                    environment: environment, platformOptions: options,
                    input: .inputWriter, output: .sequence, error: .combinedWithOutput
                ) { execution in
                    await supervise(
                        pid: execution.processIdentifier.value, output: execution.standardOutput,
                        source: spec.modelID, logs: logs, onSpawn: onSpawn)
                }
                return .exited(exit(result.terminationStatus), lastOutput: result.closureResult)
            }
            let executable: Executable = program.contains("/") ? .path(.init(program)) : .name(program)
            let result = try await Subprocess.run(
                executable, arguments: Arguments(Array(spec.command.dropFirst())),
                environment: environment, platformOptions: options,
                input: .none, output: .sequence, error: .combinedWithOutput
            ) { execution in
                await supervise(
                    pid: execution.processIdentifier.value, output: execution.standardOutput,
                    source: spec.modelID, logs: logs, onSpawn: onSpawn)
            }
            return .exited(exit(result.terminationStatus), lastOutput: result.closureResult)
        } catch {
            let reason = (error as? SubprocessError).map(describe) ?? "\(error)"
            if let launcher = spec.launcher {
                return .failedToSpawn("cannot run the launcher \(launcher) for \(program): \(reason)")
            }
            return .failedToSpawn("cannot run \(program): \(reason)")
        }
    }

    /// Runs a `cmdStop` command to completion, its output going to the model's log.
    /// Returns nil on success, else what went wrong.
    static func runStopCommand(
        _ command: [String], environment: [String], source: String, logs: LogHub
    ) async -> String? {
        guard let program = command.first, !program.isEmpty else { return "cmdStop is empty" }
        let executable: Executable = program.contains("/") ? .path(.init(program)) : .name(program)
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(Array(command.dropFirst())),
                environment: Environment.inherit.updating(environmentUpdates(environment)),
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                async let out = pump(execution.standardOutput, source: source, logs: logs)
                async let err = pump(execution.standardError, source: source, logs: logs)
                _ = await (out, err)
            }
            guard result.terminationStatus.isSuccess else {
                return "cmdStop \(exit(result.terminationStatus))"
            }
            return nil
        } catch let error as SubprocessError {
            return "cannot run cmdStop \(program): \(describe(error))"
        } catch {
            return "cannot run cmdStop \(program): \(error)"
        }
    }

    /// The body of a run: report the PID, pump output until it ends (at the latest when
    /// the process exits), wait for the exit, clear the group. Standard error shares
    /// standard output's pipe (`2>&1`), so the lines keep the order the backend wrote
    /// them in, and the last line is the last one it wrote (two pipes read on their
    /// own could not tell which of their last lines came later).
    private static func supervise(
        pid: Int32, output: SubprocessOutputSequence, source: String, logs: LogHub,
        onSpawn: @Sendable (Int32) async -> Void
    ) async -> String? {
        await onSpawn(pid)
        let last = await pump(output, source: source, logs: logs)
        // The stream can end before the exit (a backend closing its output); the body
        // must not return before it, or `run` would close the launcher's stdin.
        await waitForExit(pid)
        // The leader is a zombie until `run` reaps it after this body, so its process
        // group ID cannot have been reused: this reaches only leftovers of the group.
        _ = kill(-pid, SIGKILL)
        return last
    }

    /// Forwards `sequence` to the hub line by line; returns the last line.
    private static func pump(_ sequence: SubprocessOutputSequence, source: String, logs: LogHub) async -> String? {
        var splitter = LogLineSplitter()
        var last: String?
        do {
            for try await buffer in sequence {
                let lines = buffer.withUnsafeBytes { splitter.append($0) }
                for line in lines {
                    await logs.append(line, source: source)
                    last = line
                }
            }
        } catch {
            // The stream was cut off (the process exited while a grandchild held the
            // pipe, or a read failed); keep what was read.
        }
        if let rest = splitter.finish() {
            await logs.append(rest, source: source)
            last = rest
        }
        return last
    }

    /// Returns once `pid` (our child) has exited, without reaping it.
    private static func waitForExit(_ pid: Int32) async {
        var delay = Duration.milliseconds(1)
        while true {
            var info = siginfo_t()
            let status = waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT)
            if status == -1 {
                if errno == EINTR { continue }
                return  // ECHILD: already reaped, or not ours; nothing to wait for.
            }
            if info.si_signo == SIGCHLD {
                return
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .milliseconds(100))
        }
    }

    private static func exit(_ status: TerminationStatus) -> BackendStateMachine.Exit {
        switch status {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        }
    }

    private static func environmentUpdates(_ entries: [String]) -> [Environment.Key: String?] {
        var updates: [Environment.Key: String?] = [:]
        for entry in entries {
            guard let equals = entry.firstIndex(of: "="),
                let key = Environment.Key(rawValue: String(entry[..<equals]))
            else { continue }
            updates[key] = String(entry[entry.index(after: equals)...])
        }
        return updates
    }

    private static func describe(_ error: SubprocessError) -> String {
        if error.code == .executableNotFound {
            return "not found (looked in PATH unless the name has a /) or not executable"
        }
        if let underlying = error.underlyingError {
            return String(cString: strerror(underlying.rawValue))
        }
        return "\(error)"
    }
}
