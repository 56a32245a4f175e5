import ConfigLang
import Dispatch
import FoundationEssentials

/// The reload pipeline shared by the file watcher, SIGHUP and `POST /api/config/reload`.
///
/// Compile; on errors keep serving the old plan and record the diagnostics. On
/// success switch new requests to the new plan at once (live changes and added models
/// take effect immediately), then drain the models whose process changed or that were
/// removed: no new request reaches their old process, in-flight ones finish (bounded
/// by the drain timeout), the old process stops, and requests that arrived meanwhile
/// start the new version. Unchanged models are not touched.
public struct ConfigReloader: Sendable {
    /// The plan requests are admitted under; a reload replaces it.
    public let config: CurrentConfig
    /// Admission and swapping; told about the new plan and asked to drain.
    public let scheduler: ModelScheduler
    /// The backends; replaced ones are stopped.
    public let backends: BackendPool
    /// Where reloads are reported.
    public let log: ServerLog

    /// The swap-server executable that checks each new config in a child process
    /// first (``IsolatedCompile``); nil compiles in this process only.
    public let compileChecker: String?

    /// Creates a reloader.
    public init(
        config: CurrentConfig, scheduler: ModelScheduler, backends: BackendPool, log: ServerLog,
        compileChecker: String? = nil
    ) {
        self.config = config
        self.scheduler = scheduler
        self.backends = backends
        self.log = log
        self.compileChecker = compileChecker
    }

    /// What one reload did.
    public struct Result: Sendable, Codable {
        /// True when the config compiled (or was unchanged).
        public var success: Bool
        /// True when the bytes equal those of the running plan.
        public var unchanged: Bool
        /// Per-model outcome, when a new plan was applied.
        public var diff: PlanDiff?
        /// Diagnostics (errors and warnings) of the attempt.
        public var diagnostics: [ConfigStatus.AttemptDiagnostic]
    }

    /// Reloads now, telling systemd (when it runs swap-server) that a reload began and ended.
    public func reload(trigger: String) async -> Result {
        SystemdNotifier.process?.reloadBegan()
        let result = await reloadOnce(trigger: trigger)
        SystemdNotifier.process?.reloadEnded(
            status: SystemdNotification.status(serving: config.plan, lastReloadFailed: !result.success))
        return result
    }

    private func reloadOnce(trigger: String) async -> Result {
        let at = ConfigStatus.now()
        let files: [SourceFile]
        do {
            files = try config.source.read()
        } catch {
            let message = (error as? ConfigReadError)?.message ?? "\(error)"
            let diagnostic = ConfigStatus.AttemptDiagnostic(
                code: "SL000", severity: "error", message: message, file: config.source.file, line: 1, column: 1)
            config.record(
                .init(at: at, trigger: trigger, success: false, sourceHash: "", diagnostics: [diagnostic]), plan: nil)
            log("config reload (\(trigger)) failed: \(message); still serving the previous plan")
            return Result(success: false, unchanged: false, diff: nil, diagnostics: [diagnostic])
        }
        if let compileChecker, let failure = await IsolatedCompile.check(files, executable: compileChecker) {
            let diagnostic = ConfigStatus.AttemptDiagnostic(
                code: DiagnosticCode.compileStopped.rawValue, severity: "error", message: failure,
                file: config.source.file, line: 1, column: 1)
            config.record(
                .init(
                    at: at, trigger: trigger, success: false, sourceHash: PlanBuilder.sourceHash(files),
                    diagnostics: [diagnostic]), plan: nil)
            log("config reload (\(trigger)) rejected: \(failure); still serving the previous plan")
            return Result(success: false, unchanged: false, diff: nil, diagnostics: [diagnostic])
        }
        // Bounded by the compiler's limits (ConfigLang/README.md, "Limits"): whatever the
        // file holds, this ends in a plan or diagnostics within about a second and 100 MiB.
        let environment = ProcessInfo.processInfo.environment
        let result = await Self.onWorkerThread { PlanBuilder.compile(files, environment: environment) }
        defer { HeapTrim.returnFreeMemory() }
        let sources = Dictionary(files.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let diagnostics = result.diagnostics.map { ConfigStatus.AttemptDiagnostic($0, sources: sources) }
        let old = config.plan
        guard let plan = result.plan else {
            let hash = PlanBuilder.sourceHash(files)
            config.record(
                .init(at: at, trigger: trigger, success: false, sourceHash: hash, diagnostics: diagnostics), plan: nil)
            let text = await Self.onWorkerThread {
                DiagnosticRenderer.render(result.diagnostics, format: .human, sources: sources, color: false)
            }
            log("config reload (\(trigger)) rejected; still serving the previous plan:\n\(text)")
            return Result(success: false, unchanged: false, diff: nil, diagnostics: diagnostics)
        }
        if plan.sourceHash == old.sourceHash {
            config.record(
                .init(at: at, trigger: trigger, success: true, sourceHash: plan.sourceHash, diagnostics: diagnostics),
                plan: nil)
            return Result(success: true, unchanged: true, diff: nil, diagnostics: diagnostics)
        }
        let diff = Plan.diff(from: old, to: plan)
        let secrets = CurrentConfig.environmentSecrets(files, environment: environment)
        // Before the new plan is visible: from `record` to the drain's start nothing waits,
        // so no request reaches a replaced model's old process under the new plan.
        await log.hub.hideSecrets(secrets)
        config.record(
            .init(
                at: at, trigger: trigger, success: true, sourceHash: plan.sourceHash, diagnostics: diagnostics,
                changes: .init(diff)),
            plan: plan, secrets: secrets)
        log(
            "config reloaded (\(trigger)): restart \(diff.restart), live \(diff.applyLive), added \(diff.added), removed \(diff.removed)"
        )
        await apply(plan, diff: diff)
        return Result(success: true, unchanged: false, diff: diff, diagnostics: diagnostics)
    }

    /// Runs `work` on a Dispatch worker thread: a compile can take a second, and the
    /// caller may be an HTTP connection's event loop (`POST /api/config/reload`), which
    /// other connections' streams share.
    private static func onWorkerThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
    }

    private func apply(_ plan: Plan, diff: PlanDiff) async {
        let replaced = diff.restart + diff.removed
        let wasRunning = Set(scheduler.readyModels()).intersection(diff.restart)
        scheduler.beginDrain(models: replaced)
        await scheduler.waitForDrain(models: replaced, timeout: .seconds(plan.settings.drainTimeout))
        let backends = self.backends
        await withTaskGroup(of: Void.self) { group in
            for id in replaced { group.addTask { await backends.stop(model: id, reason: .reload) } }
        }
        _ = await backends.adopt(plan, diff: diff)
        scheduler.updatePlan(plan, replaced: replaced)
        let scheduler = self.scheduler
        for id in wasRunning {
            Task { await scheduler.preload(model: id) }
        }
    }
}
