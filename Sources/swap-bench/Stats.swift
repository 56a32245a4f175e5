/// Percentiles over a set of samples (nearest rank).
struct Stats {
    let sorted: [Double]

    init(_ samples: [Double]) { sorted = samples.sorted() }

    func percentile(_ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = max(1, Int((fraction * Double(sorted.count)).rounded(.up)))
        return sorted[min(rank, sorted.count) - 1]
    }

    var p50: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }
    var lowest: Double { sorted.first ?? .nan }
    var highest: Double { sorted.last ?? .nan }
}

extension Duration {
    /// Milliseconds as a Double.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}

/// Formats milliseconds with 3 decimals.
func ms(_ value: Double) -> String {
    String(format: "%.3f", value)
}

import Foundation
