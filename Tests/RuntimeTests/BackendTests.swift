import AsyncHTTPClient
import ConfigLang
import Foundation
import Testing

@testable import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// The supervisor with real processes, spawned directly (no launcher). Every test
/// cleans up its processes through ``BackendTestSupport/withBackend(_:port:healthCheckTimeout:logs:launcher:_:)``.
@Suite(.timeLimit(.minutes(1)))
struct BackendTests {
    typealias Support = BackendTestSupport

    @Test func readyOnSpawnThenStoppedBySIGTERM() async throws {
        let model = try Support.model(cmd: "/bin/sh -c 'echo hi; echo oops >&2; exec sleep 30'", fixedPort: 1234)
        try await Support.withBackend(model) { backend, logs in
            #expect(await backend.state == .stopped)
            let url = try await backend.ensureReady()
            #expect(url == "http://127.0.0.1:1234")
            #expect(await backend.state == .ready)
            let pid = try #require(await backend.pid)
            #expect(Support.isAlive(pid))
            #expect(await Support.eventually { await Support.logContains(logs, "hi") })
            #expect(await Support.eventually { await Support.logContains(logs, "oops") })

            await backend.stop()
            #expect(await backend.state == .stopped)
            #expect(await backend.pid == nil)
            #expect(!Support.isAlive(pid))
            #expect(await Support.eventually { await Support.logContains(logs, "model m stopped", source: "proxy") })
            // SIGTERM ended it: the stop did not wait out unloadTimeout to kill it.
            #expect(!(await Support.logContains(logs, "killing it", source: "proxy")))
        }
    }

    @Test func healthCheckedReadinessAddsOnlyMilliseconds() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Support.writeHealthServer(in: directory)
        let port = try Support.freePort()
        let model = try Support.model(cmd: "python3 \(server) ${PORT} 0.3", checkEndpoint: "/health")
        try await Support.withBackend(model, port: port) { backend, logs in
            let started = ContinuousClock.now
            let url = try await backend.ensureReady()
            let took = ContinuousClock.now - started
            #expect(url == "http://127.0.0.1:\(port)")
            #expect(took >= .milliseconds(300))
            #expect(await backend.state == .ready)
            // The server was really answering when we said ready.
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url + "/x"), timeout: .seconds(5))
            #expect(response.status == .ok)
            // "listening" is printed right before serving: readiness followed within
            // the 100 ms polling cap plus scheduling slack.
            let lines = await logs.snapshot(source: "m")
            let listening = try #require(lines.first { $0.text == "listening" })
            #expect(await Support.eventually { await Support.logContains(logs, "is ready", source: "proxy") })
            let ready = try #require(await logs.snapshot(source: "proxy").first { $0.text.contains("is ready") })
            #expect(ready.timestamp.timeIntervalSince(listening.timestamp) < 0.5)
            // Recorded for this start: at least the server's own delay before it listened.
            #expect(try #require(await backend.lastLoadDuration) >= .milliseconds(300))

            let pid = try #require(await backend.pid)
            await backend.stop()
            #expect(!Support.isAlive(pid))
            #expect(await backend.state == .stopped)
        }
    }

    @Test func processIgnoringSIGTERMIsKilledAfterTheGraceTime() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c \"trap '' TERM; echo armed; while :; do sleep 0.05; done\"", unloadTimeout: 1)
        try await Support.withBackend(model) { backend, logs in
            _ = try await backend.ensureReady()
            let pid = try #require(await backend.pid)
            #expect(await Support.eventually { await Support.logContains(logs, "armed") })

            let started = ContinuousClock.now
            await backend.stop()
            let took = ContinuousClock.now - started
            #expect(took >= .seconds(1))
            #expect(took < .seconds(4))
            #expect(!Support.isAlive(pid))
            #expect(await backend.state == .stopped)
            #expect(await Support.eventually { await Support.logContains(logs, "killing it", source: "proxy") })
        }
    }

    @Test func exitDuringStartFailsEveryWaiterWithTheMessage() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c 'echo loading; sleep 0.2; echo boom: no such model >&2; exit 3'",
            checkEndpoint: "/health", fixedPort: try Support.freePort())
        try await Support.withBackend(model) { backend, _ in
            let results = await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        do {
                            _ = try await backend.ensureReady()
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 3)
            for result in results {
                let error = try #require(result as? BackendError)
                #expect(error.kind == .exitedDuringStart)
                #expect(
                    error.message
                        == "backend for model m exited with status 3 during start (last output: boom: no such model); see /logs/stream/m"
                )
            }
            #expect(
                await backend.state
                    == .failed(
                        BackendError.exitedDuringStart(
                            modelID: "m", exit: .exited(3), lastOutput: "boom: no such model"
                        ).message))
            #expect(await backend.spawnCount == 1)
        }
    }

    @Test func concurrentEnsureReadyCallsShareOneSpawn() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Support.writeHealthServer(in: directory)
        let port = try Support.freePort()
        let model = try Support.model(cmd: "python3 \(server) ${PORT} 0.2", checkEndpoint: "/health")
        try await Support.withBackend(model, port: port) { backend, logs in
            let urls = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<10 {
                    group.addTask { try await backend.ensureReady() }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(urls == Array(repeating: "http://127.0.0.1:\(port)", count: 10))
            #expect(await backend.spawnCount == 1)
            let pid = try #require(await backend.pid)
            let printed = await logs.snapshot(source: "m").filter { $0.text.hasPrefix("pid=") }.map(\.text)
            #expect(printed == ["pid=\(pid)"])
            // A ready backend answers at once, without a new spawn.
            _ = try await backend.ensureReady()
            #expect(await backend.spawnCount == 1)
        }
    }

    @Test func cmdStopRunsWithThePID() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stopFile = directory.appendingPathComponent("stopped").path
        let model = try Support.model(
            cmd: "/bin/sh -c 'exec sleep 30'",
            cmdStop: "/bin/sh -c 'echo ${PID} > \(stopFile); echo cmdStop ran; kill -TERM ${PID}'",
            unloadTimeout: 10)
        try await Support.withBackend(model) { backend, logs in
            _ = try await backend.ensureReady()
            let pid = try #require(await backend.pid)
            let started = ContinuousClock.now
            await backend.stop()
            #expect(ContinuousClock.now - started < .seconds(5))
            let written = try String(contentsOfFile: stopFile, encoding: .utf8)
            #expect(written.trimmingCharacters(in: .whitespacesAndNewlines) == String(pid))
            #expect(!Support.isAlive(pid))
            #expect(await Support.logContains(logs, "cmdStop ran"))
        }
    }

    @Test func failingCmdStopFallsBackToSIGTERM() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c 'exec sleep 30'", cmdStop: "/bin/sh -c 'exit 4'", unloadTimeout: 10)
        try await Support.withBackend(model) { backend, logs in
            _ = try await backend.ensureReady()
            let pid = try #require(await backend.pid)
            let started = ContinuousClock.now
            await backend.stop()
            #expect(ContinuousClock.now - started < .seconds(5))
            #expect(!Support.isAlive(pid))
            #expect(
                await Support.eventually {
                    await Support.logContains(logs, "cmdStop exited with status 4", source: "proxy")
                })
        }
    }

    @Test func outputLinesReachTheHubLineByLine() async throws {
        let model = try Support.model(
            cmd:
                "/bin/sh -c 'printf \"one\\ntwo\\r\\nthr\"; sleep 0.1; printf \"ee\\n\"; printf \"err line\\n\" >&2; printf tail'",
            checkEndpoint: "none")
        let logs = LogHub()
        let live = await logs.subscribe(source: "m")
        try await Support.withBackend(model, logs: logs) { backend, logs in
            _ = try await backend.ensureReady()
            let gotAll = await Support.eventually {
                await logs.snapshot(source: "m").count == 5
            }
            #expect(gotAll)
            let texts = await logs.snapshot(source: "m").map(\.text)
            #expect(Set(texts) == ["one", "two", "three", "err line", "tail"])
            #expect(texts.firstIndex(of: "one")! < texts.firstIndex(of: "two")!)
            #expect(await logs.snapshot(source: "upstream").count == 5)
            var streamed: [String] = []
            for await line in live {
                streamed.append(line.text)
                if streamed.count == 5 { break }
            }
            #expect(Set(streamed) == Set(texts))
        }
    }

    @Test func environmentEntriesAreAddedToTheInheritedOnes() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c 'echo \"x=$SWAP_TEST_X path=$PATH\"'", env: ["SWAP_TEST_X=hello world"])
        try await Support.withBackend(model) { backend, logs in
            _ = try await backend.ensureReady()
            #expect(await Support.eventually { await Support.logContains(logs, "x=hello world path=/") })
        }
    }

    @Test func spawnFailureIsAUserFacingError() async throws {
        let model = try Support.model(cmd: "/nonexistent/llama-server --port 1")
        try await Support.withBackend(model) { backend, _ in
            let error = await #expect(throws: BackendError.self) { try await backend.ensureReady() }
            #expect(error?.kind == .spawnFailed)
            #expect(error?.message.contains("cannot run /nonexistent/llama-server") == true)
            #expect(error?.message.contains("check the model's cmd") == true)
            #expect(await backend.state.name == "failed")
        }
    }

    @Test func healthTimeoutFailsAndStopsTheProcess() async throws {
        let port = try Support.freePort()
        let model = try Support.model(cmd: "/bin/sh -c 'exec sleep 30'", checkEndpoint: "/health", fixedPort: port)
        try await Support.withBackend(model, healthCheckTimeout: .milliseconds(300)) { backend, _ in
            let started = ContinuousClock.now
            let error = await #expect(throws: BackendError.self) { try await backend.ensureReady() }
            // Given up long before the process would have exited on its own (sleep 30).
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(error?.kind == .healthCheckTimedOut)
            #expect(error?.message.contains("GET http://127.0.0.1:\(port)/health") == true)
            // The process is stopped after the timeout.
            #expect(await Support.eventually { await backend.state.name == "failed" })
            #expect(await backend.pid == nil)
        }
    }

    @Test func stopWhileStartingFailsTheWaiters() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c 'exec sleep 30'", checkEndpoint: "/health", fixedPort: try Support.freePort())
        try await Support.withBackend(model) { backend, _ in
            let waiter = Task { try await backend.ensureReady() }
            #expect(await Support.eventually { await backend.pid != nil })
            let pid = try #require(await backend.pid)
            await backend.stop()
            let error = await #expect(throws: BackendError.self) { try await waiter.value }
            #expect(error?.kind == .stoppedDuringStart)
            #expect(await backend.state == .stopped)
            #expect(!Support.isAlive(pid))
        }
    }

    @Test func cancelledWaiterIsWithdrawnWithoutStoppingTheStart() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try Support.writeHealthServer(in: directory)
        let port = try Support.freePort()
        let model = try Support.model(cmd: "python3 \(server) ${PORT} 0.3", checkEndpoint: "/health")
        try await Support.withBackend(model, port: port) { backend, _ in
            let cancelled = Task { try await backend.ensureReady() }
            let patient = Task { try await backend.ensureReady() }
            try await Task.sleep(for: .milliseconds(50))
            cancelled.cancel()
            await #expect(throws: CancellationError.self) { try await cancelled.value }
            #expect(try await patient.value == "http://127.0.0.1:\(port)")
            #expect(await backend.spawnCount == 1)
        }
    }

    @Test func backendThatDiesIsNoticedAtOnceAndRestartsOnDemand() async throws {
        let model = try Support.model(cmd: "/bin/sh -c 'exec sleep 30'")
        try await Support.withBackend(model) { backend, logs in
            _ = try await backend.ensureReady()
            let pid = try #require(await backend.pid)
            kill(pid, SIGKILL)
            // Noticed with no request asking: the exit watcher, not a later health check.
            let noticed = await Support.eventually { await backend.state.name == "failed" }
            #expect(noticed)
            #expect(
                await backend.state
                    == .failed("backend for model m was killed by signal 9 (SIGKILL) while ready; see /logs/stream/m"))
            #expect(await Support.eventually { await Support.logContains(logs, "while ready", source: "proxy") })
            _ = try await backend.ensureReady()
            #expect(await backend.spawnCount == 2)
            #expect(await backend.pid != pid)
        }
    }

    @Test func leftoverChildrenOfAnExitedBackendAreKilled() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let childFile = directory.appendingPathComponent("child").path
        // The shell starts a child that keeps stdout open, then exits by itself.
        let model = try Support.model(cmd: "/bin/sh -c 'sleep 30 & echo $! > \(childFile); exit 0'")
        try await Support.withBackend(model) { backend, _ in
            _ = try await backend.ensureReady()
            #expect(await Support.eventually { await backend.state.name == "failed" })
            let child = try #require(
                Int32(
                    String(contentsOfFile: childFile, encoding: .utf8)
                        .trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(await Support.eventually(within: .seconds(2)) { !Support.isAlive(child) })
        }
    }

    @Test func startRequestedDuringStopRestartsAfterwards() async throws {
        let model = try Support.model(
            cmd: "/bin/sh -c \"trap 'sleep 0.2; exit 0' TERM; while :; do sleep 0.05; done\"")
        try await Support.withBackend(model) { backend, _ in
            _ = try await backend.ensureReady()
            let first = try #require(await backend.pid)
            let stopper = Task { await backend.stop() }
            #expect(await Support.eventually { await backend.state == .stopping })
            let url = try await backend.ensureReady()
            await stopper.value
            #expect(url == backend.proxyBaseURL)
            #expect(await backend.spawnCount == 2)
            #expect(await backend.pid != first)
            #expect(!Support.isAlive(first))
        }
    }
}
