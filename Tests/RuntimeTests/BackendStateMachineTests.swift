import Testing

@testable import Runtime

/// Every transition of the backend lifecycle, with no process, clock or network.
struct BackendStateMachineTests {
    typealias Machine = BackendStateMachine

    static func machine(healthChecked: Bool = true) -> Machine {
        Machine(
            modelID: "llama",
            checkURL: healthChecked ? "http://127.0.0.1:9001/health" : nil,
            healthCheckTimeout: .seconds(30))
    }

    /// A machine with generation 1 ready as PID 100.
    static func readyMachine() -> Machine {
        var machine = machine()
        _ = machine.startRequested()
        _ = machine.spawned(generation: 1, pid: 100)
        _ = machine.healthSucceeded(generation: 1)
        return machine
    }

    // MARK: Starting

    @Test func startFromStoppedSpawnsOnce() {
        var machine = Self.machine()
        #expect(machine.state == .stopped)
        #expect(machine.startRequested() == [.spawn(generation: 1)])
        #expect(machine.state == .starting(generation: 1, pid: nil))
        #expect(machine.publicState == .starting)
        #expect(machine.pid == nil)
    }

    @Test func concurrentStartRequestsShareOneSpawn() {
        var machine = Self.machine()
        #expect(machine.startRequested() == [.spawn(generation: 1)])
        #expect(machine.startRequested() == [])
        _ = machine.spawned(generation: 1, pid: 100)
        #expect(machine.startRequested() == [])
        #expect(machine.state == .starting(generation: 1, pid: 100))
    }

    @Test func spawnedWithHealthCheckBeginsPolling() {
        var machine = Self.machine()
        _ = machine.startRequested()
        #expect(machine.spawned(generation: 1, pid: 100) == [.beginHealthPolling(generation: 1)])
        #expect(machine.state == .starting(generation: 1, pid: 100))
        #expect(machine.pid == 100)
    }

    @Test func spawnedWithoutHealthCheckIsReadyAtOnce() {
        var machine = Self.machine(healthChecked: false)
        _ = machine.startRequested()
        #expect(machine.spawned(generation: 1, pid: 100) == [.resumeReadyWaiters])
        #expect(machine.state == .ready(generation: 1, pid: 100))
        #expect(machine.publicState == .ready)
    }

    @Test func healthSuccessMakesReady() {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.spawned(generation: 1, pid: 100)
        #expect(machine.healthSucceeded(generation: 1) == [.resumeReadyWaiters])
        #expect(machine.state == .ready(generation: 1, pid: 100))
        #expect(machine.startRequested() == [])
    }

    @Test func healthTimeoutFailsWaitersAndStopsTheProcess() throws {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.spawned(generation: 1, pid: 100)
        let actions = machine.healthTimedOut(generation: 1)
        try #require(actions.count == 2)
        guard case .failReadyWaiters(let error) = actions[0] else {
            Issue.record("expected failReadyWaiters, got \(actions)")
            return
        }
        #expect(error.kind == .healthCheckTimedOut)
        #expect(error.message.contains("not ready within 30 s"))
        #expect(error.message.contains("GET http://127.0.0.1:9001/health"))
        #expect(actions[1] == .terminate(generation: 1, pid: 100))
        #expect(machine.publicState == .stopping)
        // Once the process is gone the backend is failed with the timeout's message.
        #expect(machine.processExited(generation: 1, exit: .signaled(15)) == [.resumeStopWaiters])
        #expect(machine.publicState == .failed(error.message))
    }

    @Test func spawnFailureFailsWaiters() {
        var machine = Self.machine()
        _ = machine.startRequested()
        let error = BackendError.spawnFailed(modelID: "llama", reason: "cannot run llama-server: not found")
        #expect(
            machine.spawnFailed(generation: 1, reason: "cannot run llama-server: not found") == [
                .failReadyWaiters(error)
            ])
        #expect(machine.publicState == .failed(error.message))
        #expect(error.message.contains("check the model's cmd"))
    }

    @Test func exitDuringStartFailsWaitersWithClearMessage() {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.spawned(generation: 1, pid: 100)
        let actions = machine.processExited(generation: 1, exit: .exited(3), lastOutput: "error: model not found")
        guard case .failReadyWaiters(let error) = actions.first, actions.count == 1 else {
            Issue.record("expected failReadyWaiters, got \(actions)")
            return
        }
        #expect(error.kind == .exitedDuringStart)
        #expect(
            error.message
                == "backend for model llama exited with status 3 during start (last output: error: model not found); see /logs/stream/llama"
        )
        #expect(machine.publicState == .failed(error.message))
        #expect(machine.pid == nil)
    }

    @Test func exitBeforeSpawnReportedStillFails() {
        var machine = Self.machine()
        _ = machine.startRequested()
        let actions = machine.processExited(generation: 1, exit: .signaled(9))
        guard case .failReadyWaiters(let error) = actions.first else {
            Issue.record("expected failReadyWaiters, got \(actions)")
            return
        }
        #expect(
            error.message
                == "backend for model llama was killed by signal 9 (SIGKILL) during start; see /logs/stream/llama")
    }

    @Test func failedBackendStartsAgain() {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.spawnFailed(generation: 1, reason: "nope")
        #expect(machine.startRequested() == [.spawn(generation: 2)])
        #expect(machine.state == .starting(generation: 2, pid: nil))
    }

    // MARK: Ready

    @Test func exitWhileReadyIsReportedAndFails() {
        var machine = Self.readyMachine()
        let message = "backend for model llama exited with status 1 while ready; see /logs/stream/llama"
        #expect(machine.processExited(generation: 1, exit: .exited(1)) == [.reportUnexpectedExit(message)])
        #expect(machine.publicState == .failed(message))
        #expect(machine.startRequested() == [.spawn(generation: 2)])
    }

    // MARK: Stopping

    @Test func stopFromReadyTerminatesThenKillsAfterGrace() {
        var machine = Self.readyMachine()
        #expect(machine.stopRequested() == [.terminate(generation: 1, pid: 100)])
        #expect(machine.publicState == .stopping)
        #expect(machine.pid == 100)
        #expect(machine.stopRequested() == [])
        #expect(machine.stopGraceExpired(generation: 1) == [.kill(pid: 100)])
        #expect(machine.stopGraceExpired(generation: 1) == [])
        #expect(machine.processExited(generation: 1, exit: .signaled(9)) == [.resumeStopWaiters])
        #expect(machine.state == .stopped)
    }

    @Test func stopThatFinishesInTimeNeverKills() {
        var machine = Self.readyMachine()
        _ = machine.stopRequested()
        #expect(machine.processExited(generation: 1, exit: .exited(0)) == [.resumeStopWaiters])
        #expect(machine.stopGraceExpired(generation: 1) == [])
        #expect(machine.state == .stopped)
    }

    @Test func stopWhenStoppedOrFailedDoesNothing() {
        var machine = Self.machine()
        #expect(machine.stopRequested() == [])
        #expect(machine.state == .stopped)
        _ = machine.startRequested()
        _ = machine.spawnFailed(generation: 1, reason: "nope")
        #expect(machine.stopRequested() == [])
        #expect(machine.state == .stopped)
    }

    @Test func stopWhileStartingFailsWaitersAndTerminates() {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.spawned(generation: 1, pid: 100)
        #expect(
            machine.stopRequested() == [
                .failReadyWaiters(.stoppedDuringStart(modelID: "llama")), .terminate(generation: 1, pid: 100),
            ])
        // A late health success for the stopping process changes nothing.
        #expect(machine.healthSucceeded(generation: 1) == [])
        #expect(machine.healthTimedOut(generation: 1) == [])
        #expect(machine.processExited(generation: 1, exit: .signaled(15)) == [.resumeStopWaiters])
        #expect(machine.state == .stopped)
    }

    @Test func stopBeforeThePIDIsKnownTerminatesOnSpawn() {
        var machine = Self.machine()
        _ = machine.startRequested()
        #expect(machine.stopRequested() == [.failReadyWaiters(.stoppedDuringStart(modelID: "llama"))])
        #expect(machine.stopGraceExpired(generation: 1) == [])
        #expect(machine.spawned(generation: 1, pid: 100) == [.terminate(generation: 1, pid: 100)])
        #expect(machine.processExited(generation: 1, exit: .signaled(15)) == [.resumeStopWaiters])
        #expect(machine.state == .stopped)
    }

    @Test func stopBeforeASpawnThatFails() {
        var machine = Self.machine()
        _ = machine.startRequested()
        _ = machine.stopRequested()
        #expect(machine.spawnFailed(generation: 1, reason: "nope") == [.resumeStopWaiters])
        #expect(machine.state == .stopped)
    }

    @Test func startDuringStopRestartsOnceTheOldProcessIsGone() {
        var machine = Self.readyMachine()
        _ = machine.stopRequested()
        #expect(machine.startRequested() == [])
        #expect(machine.startRequested() == [])
        #expect(machine.processExited(generation: 1, exit: .exited(0)) == [.resumeStopWaiters, .spawn(generation: 2)])
        #expect(machine.state == .starting(generation: 2, pid: nil))
    }

    @Test func stopAfterARestartRequestCancelsTheRestart() {
        var machine = Self.readyMachine()
        _ = machine.stopRequested()
        _ = machine.startRequested()
        #expect(machine.stopRequested() == [.failReadyWaiters(.stoppedDuringStart(modelID: "llama"))])
        #expect(machine.processExited(generation: 1, exit: .exited(0)) == [.resumeStopWaiters])
        #expect(machine.state == .stopped)
    }

    // MARK: Stale events

    @Test func eventsForAnOldGenerationAreIgnored() {
        var machine = Self.readyMachine()
        _ = machine.stopRequested()
        _ = machine.startRequested()
        _ = machine.processExited(generation: 1, exit: .exited(0))  // restarts as generation 2
        #expect(machine.spawned(generation: 1, pid: 555) == [])
        #expect(machine.processExited(generation: 1, exit: .exited(0)) == [])
        #expect(machine.stopGraceExpired(generation: 1) == [])
        #expect(machine.healthSucceeded(generation: 1) == [])
        #expect(machine.spawnFailed(generation: 1, reason: "late") == [])
        #expect(machine.spawned(generation: 2, pid: 200) == [.beginHealthPolling(generation: 2)])
        #expect(machine.healthSucceeded(generation: 2) == [.resumeReadyWaiters])
        #expect(machine.state == .ready(generation: 2, pid: 200))
    }

    @Test func eventsWhenStoppedAreIgnored() {
        var machine = Self.machine()
        #expect(machine.spawned(generation: 1, pid: 1) == [])
        #expect(machine.healthSucceeded(generation: 1) == [])
        #expect(machine.healthTimedOut(generation: 1) == [])
        #expect(machine.processExited(generation: 1, exit: .exited(0)) == [])
        #expect(machine.stopGraceExpired(generation: 1) == [])
        #expect(machine.state == .stopped)
    }

    @Test func exitDescriptions() {
        #expect(Machine.Exit.exited(0).description == "exited with status 0")
        #expect(Machine.Exit.signaled(15).description == "was killed by signal 15 (SIGTERM)")
        #expect(Machine.Exit.signaled(64).description == "was killed by signal 64")
        #expect(BackendState.failed("x").description == "failed: x")
        #expect(BackendState.ready.name == "ready")
    }
}
