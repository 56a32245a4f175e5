import ConfigLang
import FoundationEssentials

/// `GET /api/metrics/stats`: totals and the histograms of prompt and generation speed
/// over the records (llama-swap's shape).
public enum ActivityStats {
    /// `{"total_requests","total_input_tokens","total_output_tokens","total_cache_tokens",
    /// "prompt_histogram","gen_histogram"}` over `records` (of `model` when given).
    public static func json(_ records: [ActivityRecord], model: String?) -> JSONValue {
        let kept = model.map { name in records.filter { $0.model == name } } ?? records
        func total(_ value: (TokenUsage) -> Int) -> Int { kept.reduce(0) { $0 + max(0, value($1.tokens)) } }
        return .object([
            "total_requests": .integer(kept.count),
            "total_input_tokens": .integer(total(\.input)),
            "total_output_tokens": .integer(total(\.output)),
            "total_cache_tokens": .integer(total(\.cached)),
            "prompt_histogram": histogram(kept.map(\.tokens.promptPerSecond)),
            "gen_histogram": histogram(kept.map(\.tokens.tokensPerSecond)),
        ])
    }

    /// `{"bins","min","max","binSize","p50","p95","p99"}` of the positive `values`, or
    /// null when there are none. Bin count: Sturges' ⌈log2 n⌉ + 1, kept within 5…20; one
    /// distinct value gives one bin of size 0. Percentiles are linearly interpolated.
    public static func histogram(_ values: [Double]) -> JSONValue {
        let sorted = values.filter { $0 > 0 && $0.isFinite }.sorted()
        guard let low = sorted.first, let high = sorted.last else { return .null }
        var bins: [Int]
        var size: Double
        if low == high {
            bins = [sorted.count]
            size = 0
        } else {
            // ⌈log2 n⌉ in integers: the bit length of n − 1.
            let ceilLog2 = Int.bitWidth - (sorted.count - 1).leadingZeroBitCount
            let count = min(20, max(5, ceilLog2 + 1))
            size = (high - low) / Double(count)
            bins = Array(repeating: 0, count: count)
            for value in sorted { bins[min(count - 1, Int((value - low) / size))] += 1 }
        }
        return .object([
            "bins": .array(bins.map(JSONValue.integer)),
            "min": .double(low),
            "max": .double(high),
            "binSize": .double(size),
            "p50": .double(percentile(sorted, 0.50)),
            "p95": .double(percentile(sorted, 0.95)),
            "p99": .double(percentile(sorted, 0.99)),
        ])
    }

    /// The `fraction` percentile of `sorted` (non-empty), linearly interpolated.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = fraction * Double(sorted.count - 1)
        let lower = Int(rank.rounded(.down))
        let upper = min(sorted.count - 1, lower + 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - Double(lower))
    }
}
