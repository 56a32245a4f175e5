import Foundation
import Runtime
import Subprocess
import Testing

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// `swap-server __swap-launch`: the backend dies with whoever holds the launcher's
/// stdin, the PID is the backend's, and a command that cannot run is reported.
///
/// These run the real `swap-server` binary built next to the tests (its `main` calls
/// ``ProcessLauncher/runIfRequested()`` first thing).
@Suite(.timeLimit(.minutes(1)), .enabled(if: BackendTestSupport.swapServerBinary != nil, "swap-server is not built"))
struct BackendLauncherTests {
    typealias Support = BackendTestSupport

    /// A parent killed with SIGKILL (as swap-server would be) takes its backend with it.
    @Test func backendDiesWhenItsParentIsKilled() async throws {
        let launcher = try #require(Support.swapServerBinary)
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("backend.pid").path
        // The parent plays swap-server: it holds the only write end of the launcher's
        // stdin pipe and never writes to it.
        let parentScript = """
            import os, subprocess, sys, time
            launcher, pid_file = sys.argv[1], sys.argv[2]
            read_end, write_end = os.pipe()
            child = subprocess.Popen(
                [launcher, "__swap-launch", "--", "/bin/sh", "-c", 'echo $$ > "$0.tmp"; mv "$0.tmp" "$0"; exec sleep 60', pid_file],
                stdin=read_end, start_new_session=True)
            os.close(read_end)
            print("parent ready", flush=True)
            time.sleep(60)
            """
        let parent = try await Self.spawnDetached(["python3", "-c", parentScript, launcher, pidFile])
        var backend: Int32?
        defer {
            kill(parent, SIGKILL)
            if let backend { kill(-backend, SIGKILL) }
        }
        let wrote = await Support.eventually { FileManager.default.fileExists(atPath: pidFile) }
        try #require(wrote, "the backend never wrote its PID")
        backend = Int32(
            try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        let pid = try #require(backend)
        #expect(Support.isAlive(pid))
        // The backend leads its own process group (so the group can be signalled).
        #expect(getpgid(pid) == pid)

        // One process per backend in ps: the watchdog shows as `swap-server __swap-watchdog PID`.
        let watchdogLine = "swap-server\0\(ProcessLauncher.watchdogArgument)\0\(pid)\0"
        #expect(await Support.eventually { Self.processes(containing: watchdogLine).count == 1 })
        // Other tests may run `sleep 60` too: count only this backend's process group.
        #expect(
            await Support.eventually {
                Self.processes(containing: "sleep\u{0}60\u{0}").filter { getpgid($0) == pid } == [pid]
            })

        kill(parent, SIGKILL)
        let gone = await Support.eventually(within: .seconds(3)) { !Support.isAlive(pid) }
        #expect(gone, "backend \(pid) outlived its killed parent by 3 s")
        // The watchdog leaves once the group is empty, or after its 2 s grace when a zombie
        // (here, one nobody reaps) keeps the group alive.
        #expect(await Support.eventually(within: .seconds(3)) { Self.processes(containing: watchdogLine).isEmpty })
    }

    /// Through the launcher the PID swap-server sees is the backend's own, so
    /// `${PID}` in cmdStop and the process group are right; stop works as usual.
    @Test func backendThroughTheLauncherHasItsOwnPID() async throws {
        let launcher = try #require(Support.swapServerBinary)
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Support.writeHealthServer(in: directory)
        let port = try Support.freePort()
        let model = try Support.model(cmd: "python3 \(server) ${PORT} 0", checkEndpoint: "/health")
        try await Support.withBackend(model, port: port, launcher: launcher) { backend, logs in
            let url = try await backend.ensureReady()
            #expect(url == "http://127.0.0.1:\(port)")
            let pid = try #require(await backend.pid)
            #expect(await Support.eventually { await Support.logContains(logs, "pid=\(pid)") })
            #expect(getpgid(pid) == pid)
            await backend.stop()
            #expect(!Support.isAlive(pid))
            #expect(await backend.state == .stopped)
        }
    }

    /// A launcher whose backend exits does not linger (its watchdog leaves too).
    @Test func watchdogLeavesWithItsBackend() async throws {
        let launcher = try #require(Support.swapServerBinary)
        let marker = "swap-watchdog-test-\(UUID().uuidString)"
        // `; :` keeps the shell (and so the marker in its argv) from exec'ing sleep.
        let model = try Support.model(cmd: "/bin/sh -c 'sleep 30; :' \(marker)")
        try await Support.withBackend(model, launcher: launcher) { backend, _ in
            _ = try await backend.ensureReady()
            let pid = try #require(await backend.pid)
            // The watchdog has a command line of its own: only the backend carries the marker.
            let watchdogLine = "swap-server\0\(ProcessLauncher.watchdogArgument)\0\(pid)\0"
            #expect(await Support.eventually { Self.processes(containing: watchdogLine).count == 1 })
            #expect(Self.processes(containing: marker) == [pid])
            kill(pid, SIGKILL)
            #expect(await Support.eventually { await backend.state.name == "failed" })
            let cleared = await Support.eventually(within: .seconds(3)) {
                Self.processes(containing: marker).isEmpty && Self.processes(containing: watchdogLine).isEmpty
            }
            #expect(cleared, "left behind: \(Self.processes(containing: marker))")
        }
    }

    /// A command that cannot be run: exit status 127 and a clear message on stderr,
    /// which the backend's error quotes.
    @Test func unrunnableCommandIsReported() async throws {
        let launcher = try #require(Support.swapServerBinary)
        let result = try await Subprocess.run(
            .path(FilePath(launcher)), arguments: ["__swap-launch", "--", "/nonexistent/llama-server", "-m", "x"],
            output: .string(limit: 4096), error: .string(limit: 4096))
        #expect(result.terminationStatus == .exited(127))
        #expect(result.standardError == "swap: cannot run /nonexistent/llama-server: No such file or directory\n")

        let model = try Support.model(cmd: "/nonexistent/llama-server -m x")
        try await Support.withBackend(model, launcher: launcher) { backend, _ in
            // Readiness needs no health check here, so the exit is caught while ready...
            _ = try? await backend.ensureReady()
            #expect(await BackendTestSupport.eventually { await backend.state.name == "failed" })
            #expect(
                await backend.state
                    == .failed("backend for model m exited with status 127 while ready; see /logs/stream/m"))
        }
        let checked = try Support.model(
            cmd: "/nonexistent/llama-server -m x", checkEndpoint: "/health", fixedPort: try Support.freePort())
        try await Support.withBackend(checked, launcher: launcher) { backend, _ in
            // ...and with one, the waiter gets the launcher's message.
            let error = await #expect(throws: BackendError.self) { try await backend.ensureReady() }
            #expect(error?.kind == .exitedDuringStart)
            #expect(
                error?.message
                    == "backend for model m exited with status 127 during start (last output: swap: cannot run "
                    + "/nonexistent/llama-server: No such file or directory); see /logs/stream/m")
        }
    }

    /// Starts `argv` in a new session and returns its PID without waiting for it.
    static func spawnDetached(_ argv: [String]) async throws -> Int32 {
        let pidBox = PIDBox()
        let task = Task {
            var options = PlatformOptions()
            options.createSession = true
            _ = try await Subprocess.run(
                .name(argv[0]), arguments: Arguments(Array(argv.dropFirst())), platformOptions: options,
                input: .none, output: .sequence, error: .discarded
            ) { execution in
                await pidBox.set(execution.processIdentifier.value)
                for try await _ in execution.standardOutput {}
            }
        }
        _ = task
        let known = await BackendTestSupport.eventually { await pidBox.pid != nil }
        try #require(known)
        return try #require(await pidBox.pid)
    }

    /// PIDs whose command line contains `marker`.
    static func processes(containing marker: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline"),
                String(decoding: data, as: UTF8.self).contains(marker),
                BackendTestSupport.isAlive(pid)
            else { return nil }
            return pid
        }
    }

    actor PIDBox {
        var pid: Int32?
        func set(_ pid: Int32) { self.pid = pid }
    }
}
