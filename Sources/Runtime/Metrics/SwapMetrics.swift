import ConfigLang
import Prometheus
import Synchronization

/// swap-server's Prometheus metrics, in one registry the server owns (no global
/// bootstrap, so tests that run several servers in one process do not share figures).
///
/// Events are counted as they happen (``requests`` from activity records, ``backends``
/// from backend events, ``rejected(_:model:)`` for refusals no record covers); figures
/// that are states (in flight, queued, ready, memory, reloads, process) are read when
/// `/metrics` is scraped (``exposition(_:)``).
public final class SwapMetrics: Sendable {
    /// The registry every family lives in.
    public let registry: PrometheusCollectorRegistry
    /// Per-model request figures (an ``ActivityObserver``).
    public let requests: RequestMetrics
    /// Per-model backend figures (loads, crashes, unloads).
    public let backends: BackendMetrics
    /// Serialises scrapes (the state figures are set and emitted as one step) and
    /// remembers what the last one set.
    private let scrape = Mutex(Scraped())

    /// What earlier scrapes set: each state-fed counter's value, and the plan info's hash.
    private struct Scraped {
        var totals: [String: Double] = [:]
        var planHash: String?
    }

    /// An empty registry with the build's info series.
    public init(version: String = SwapVersion.current, build: BuildInfo = .unknown) {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.requests = RequestMetrics(registry: registry)
        self.backends = BackendMetrics(registry: registry)
        registry.makeGauge(
            name: "swap_build_info", labels: [("version", version), ("commit", build.commit)],
            help: "1, labelled with the running build's version and commit."
        ).set(to: 1)
    }

    /// Counts a request refused for `cause` (`model` is "" when none was resolved).
    public func rejected(_ cause: RejectionCause, model: String = "") {
        requests.rejected(cause, model: model)
    }

    /// What a scrape reads: the states of the server at that moment.
    public struct State: Sendable {
        /// The model ids of the running plan.
        public var models: [String]
        /// The config's status (reload counts, plan hash).
        public var config: ConfigStatus
        /// The scheduler's view per model.
        public var activity: [String: ModelActivity]
        /// Processes started per model, and how long the last start took.
        public var spawns: [String: (count: Int, lastLoad: Duration?)]
        /// The latest memory sample per running model.
        public var memory: [String: ModelMemory]
        /// Admitted requests that got an answer, per model and status (``RequestCounters``).
        public var answered: [String: [Int: Int]]

        /// A state with every field given.
        public init(
            models: [String], config: ConfigStatus, activity: [String: ModelActivity],
            spawns: [String: (count: Int, lastLoad: Duration?)], memory: [String: ModelMemory],
            answered: [String: [Int: Int]]
        ) {
            self.answered = answered
            self.models = models
            self.config = config
            self.activity = activity
            self.spawns = spawns
            self.memory = memory
        }
    }

    /// The text exposition of every family, with the state figures set from `state`.
    public func exposition(_ state: State) -> String {
        scrape.withLock { scraped in
            update(state, scraped: &scraped)
            return registry.emitToString()
        }
    }

    private func update(_ state: State, scraped: inout Scraped) {
        let config = state.config
        gauge("swap_config_last_reload_success", [], "1 if the last config load attempt succeeded, else 0.")
            .set(to: config.lastAttempt.success ? 1 : 0)
        let unchanged = config.unchanged
        for (result, value) in [
            ("applied", config.applied), ("unchanged", unchanged),
            ("failed", config.attempts - config.applied - unchanged),
        ] {
            total(
                "swap_config_reloads_total", [("result", result)],
                "Config reload attempts by result: applied (a new plan), unchanged (same bytes), failed.",
                Double(value), scraped: &scraped)
        }
        let planInfo = "swap_config_plan_info"
        if let previous = scraped.planHash, previous != config.planHash {
            // One series per plan: the previous plan's goes when a new one is applied.
            registry.unregisterGauge(gauge(planInfo, [("hash", previous)], Self.planInfoHelp))
        }
        scraped.planHash = config.planHash
        gauge(planInfo, [("hash", config.planHash)], Self.planInfoHelp).set(to: 1)
        for model in state.models {
            let labels = [("model", model)]
            let activity = state.activity[model]
            gauge("swap_model_ready", labels, "1 while the model's backend is ready.")
                .set(to: activity?.state == .ready ? 1 : 0)
            gauge("swap_model_requests_in_flight", labels, "Requests admitted and not finished.")
                .set(to: Double(activity?.inFlight ?? 0))
            gauge("swap_model_requests_queued", labels, "Requests waiting for admission.")
                .set(to: Double(activity?.queued ?? 0))
            let memory = state.memory[model]
            gauge(
                "swap_model_resident_memory_bytes", labels,
                "Resident memory of the model's backend process tree (0 while stopped)."
            ).set(to: Double(memory?.rssBytes ?? 0))
            gauge(
                "swap_model_swap_memory_bytes", labels,
                "Swapped-out memory of the model's backend process tree (0 while stopped)."
            ).set(to: Double(memory?.swapBytes ?? 0))
            if let gpu = memory?.gpuBytes {
                gauge("swap_model_gpu_memory_bytes", labels, "GPU memory of the model's backend processes.")
                    .set(to: Double(gpu))
            }
        }
        for (model, codes) in state.answered {
            for (code, count) in codes {
                total(
                    "swap_model_requests_total", [("model", model), ("status", String(code))],
                    "Admitted requests by model and the status their answer ended with.", Double(count),
                    scraped: &scraped)
            }
        }
        for (model, spawns) in state.spawns {
            let labels = [("model", model)]
            total(
                "swap_model_spawns_total", labels, "Backend processes started for the model (starts and restarts).",
                Double(spawns.count), scraped: &scraped)
            if let last = spawns.lastLoad {
                gauge(
                    "swap_model_last_load_seconds", labels, "How long the model's last start took, from spawn to ready."
                )
                .set(to: Self.seconds(last))
            }
        }
        guard let process = ProcessFigures.current() else { return }
        gauge("process_resident_memory_bytes", [], "Resident memory of swap-server, bytes.")
            .set(to: Double(process.residentBytes))
        gauge("process_virtual_memory_bytes", [], "Virtual memory of swap-server, bytes.")
            .set(to: Double(process.virtualBytes))
        total(
            "process_cpu_seconds_total", [], "User and system CPU time swap-server used, seconds.",
            process.cpuSeconds, scraped: &scraped)
        gauge("process_open_fds", [], "File descriptors swap-server has open.").set(to: Double(process.openDescriptors))
        gauge("process_max_fds", [], "The limit of open file descriptors.").set(to: Double(process.maxDescriptors))
        gauge("process_start_time_seconds", [], "When swap-server started, seconds since the epoch.")
            .set(to: process.startTimeSeconds)
    }

    private static let planInfoHelp = "1, labelled with the running plan's source hash."

    private func gauge(_ name: String, _ labels: [(String, String)], _ help: String) -> Gauge {
        registry.makeGauge(name: name, labels: labels, help: help)
    }

    /// Adds to a counter what a source that only grows (or starts again from 0) gained
    /// since the last scrape.
    private func total(
        _ name: String, _ labels: [(String, String)], _ help: String, _ value: Double, scraped: inout Scraped
    ) {
        let key = name + labels.map { "\u{1}" + $0.0 + "=" + $0.1 }.joined()
        // A source below its last value started again from 0 (a backend a reload
        // replaced counts its spawns anew): all of it is new.
        let last = scraped.totals[key] ?? 0
        let previous = value < last ? 0 : last
        scraped.totals[key] = value
        let counter = registry.makeCounter(name: name, labels: labels, help: help)
        guard value > previous else { return }
        if value == value.rounded(), previous == previous.rounded() {
            counter.increment(by: Int64(value - previous))
        } else {
            counter.increment(by: value - previous)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
