/// Histogram buckets, vLLM's, so that swap's dashboards and vLLM's compare bucket for bucket.
enum MetricBuckets {
    /// vLLM's `time_to_first_token_seconds` buckets.
    static let timeToFirstToken: [Duration] = seconds([
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
        2560,
    ])

    /// vLLM's request latency buckets (`e2e_request_latency_seconds`, `request_queue_time_seconds`).
    static let latency: [Duration] = seconds([
        0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
    ])

    private static func seconds(_ values: [Double]) -> [Duration] {
        values.map { Duration.milliseconds(Int64(($0 * 1000).rounded())) }
    }
}
