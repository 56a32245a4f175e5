import Prometheus

/// The per-model request figures of `/metrics`, counted from each finished request's
/// ``ActivityRecord``: requests by endpoint and status (`swap_requests_total`, every
/// model-routed request, admitted or not), rejections by cause, tokens, and histograms of
/// time to first byte, end-to-end latency and queue time.
///
/// A request that named no model (or an unknown one) counts under `model=""`.
public final class RequestMetrics: ActivityObserver {
    private let registry: PrometheusCollectorRegistry

    /// Counts into `registry`.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Counts one finished request.
    public func finished(_ record: ActivityRecord) {
        let model = [("model", record.model)]
        registry.makeCounter(
            name: "swap_requests_total",
            labels: model + [("endpoint", Self.endpoint(record.path)), ("status", String(record.status))],
            help: "Model-routed requests by model (\"\" when none was resolved), endpoint and the status sent."
        ).increment()
        if let cause = RejectionCause(status: record.status) { rejected(cause, model: record.model) }
        count(record.tokens.input, "swap_model_prompt_tokens_total", "Prompt tokens processed.", model)
        count(record.tokens.output, "swap_model_generation_tokens_total", "Tokens generated.", model)
        count(
            record.tokens.cached, "swap_model_cached_prompt_tokens_total",
            "Prompt tokens served from the backend's cache.", model)
        count(record.tokens.draft, "swap_model_draft_tokens_total", "Tokens a draft model proposed.", model)
        count(
            record.tokens.draftAccepted, "swap_model_draft_accepted_tokens_total",
            "Draft tokens the main model accepted.", model)
        registry.makeDurationHistogram(
            name: "swap_model_e2e_request_latency_seconds", labels: model, buckets: MetricBuckets.latency,
            help: "From a request's arrival to the end of its answer."
        ).record(record.duration)
        guard !record.model.isEmpty else { return }
        registry.makeDurationHistogram(
            name: "swap_model_request_queue_time_seconds", labels: model, buckets: MetricBuckets.latency,
            help: "Time a request waited for admission (start, swap or queue)."
        ).record(record.queued)
        if let first = record.timeToFirstByte, (200..<300).contains(record.status) {
            registry.makeDurationHistogram(
                name: "swap_model_time_to_first_token_seconds", labels: model,
                buckets: MetricBuckets.timeToFirstToken,
                help: "From a request's arrival to the first byte of its answer's body."
            ).record(first)
        }
    }

    /// Counts a request refused for `cause` (`model` is "" when none was resolved).
    public func rejected(_ cause: RejectionCause, model: String) {
        registry.makeCounter(
            name: "swap_model_requests_rejected_total", labels: [("model", model), ("cause", cause.rawValue)],
            help: "Requests refused before a backend answered: bad_request (400), unauthorized (401), "
                + "unknown_model (404), body_too_large (413), over_limit (429)."
        ).increment()
    }

    /// The `endpoint` label: the model-routed path, or `/upstream` for any passthrough path
    /// (its rest is free text, which would make the label unbounded).
    static func endpoint(_ path: String) -> String {
        if ProxyCore.modelRoutedPaths.contains(path) || path == "/props" { return path }
        if path.hasPrefix("/upstream/") { return "/upstream" }
        return "other"
    }

    /// Adds a reported count (-1 and 0 add nothing, and create no series).
    private func count(_ value: Int, _ name: String, _ help: String, _ labels: [(String, String)]) {
        guard value > 0 else { return }
        registry.makeCounter(name: name, labels: labels, help: help).increment(by: Int64(value))
    }
}
