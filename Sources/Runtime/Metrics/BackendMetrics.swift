import Prometheus

/// The per-model backend figures of `/metrics`, counted from ``BackendEvent``s: loads
/// by result and their duration, crashes, and unloads by reason.
public final class BackendMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry

    /// Counts into `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one event.
    public func record(_ event: BackendEvent) {
        switch event {
        case .loaded(let model, let duration):
            loads(model, result: "success")
            registry.makeDurationHistogram(
                name: "swap_model_load_seconds", labels: [("model", model)], buckets: MetricBuckets.latency,
                help: "How long a model's start took, from spawn to its first good health check."
            ).record(duration)
        case .loadFailed(let model):
            loads(model, result: "failure")
        case .crashed(let model):
            registry.makeCounter(
                name: "swap_model_crashes_total", labels: [("model", model)],
                help: "Times a ready backend exited on its own."
            ).increment()
        case .unloaded(let model, let reason):
            registry.makeCounter(
                name: "swap_model_unloads_total", labels: [("model", model), ("reason", reason.rawValue)],
                help: "Backends stopped by reason: ttl, swap, reload, api, crash, shutdown."
            ).increment()
        }
    }

    private func loads(_ model: String, result: String) {
        registry.makeCounter(
            name: "swap_model_loads_total", labels: [("model", model), ("result", result)],
            help: "Backend starts by result (success: became ready; failure: did not)."
        ).increment()
    }
}
