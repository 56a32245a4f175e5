import Testing

@testable import Runtime

/// Prometheus' text format as `/metrics` writes it.
struct MetricsExpositionTests {
    @Test("label values escape backslash, double quote and line feed")
    func escaping() {
        #expect(MetricsExposition.labels([("model", "a\\b\"c\nd")]) == #"{model="a\\b\"c\nd"}"#)
        #expect(MetricsExposition.labels([]) == "")
    }

    @Test("a family: help, type, one line per sample")
    func family() {
        var exposition = MetricsExposition()
        exposition.add("swap_x", "gauge", "An x.", [([("model", "m")], 1), ([("model", "n")], 2)])
        #expect(
            exposition.text == """
                # HELP swap_x An x.
                # TYPE swap_x gauge
                swap_x{model="m"} 1
                swap_x{model="n"} 2

                """)
    }
}
