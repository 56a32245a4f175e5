/// Prometheus' text exposition format (version 0.0.4), written line by line.
///
/// ```swift
/// var exposition = MetricsExposition()
/// exposition.add("swap_model_ready", "gauge", "1 while ready.", [([("model", "coder")], 1)])
/// exposition.text  // # HELP swap_model_ready 1 while ready.\n# TYPE …\nswap_model_ready{model="coder"} 1\n
/// ```
struct MetricsExposition {
    private var lines: [String] = []

    /// Adds a metric family: its help, its type, and one sample per label set.
    mutating func add<Value>(
        _ name: String, _ type: String, _ help: String, _ samples: [([(String, String)], Value)]
    ) {
        lines.append("# HELP \(name) \(help)")
        lines.append("# TYPE \(name) \(type)")
        for (labels, value) in samples { lines.append("\(name)\(Self.labels(labels)) \(value)") }
    }

    /// The exposition, one line per sample, ending with a newline.
    var text: String { lines.joined(separator: "\n") + "\n" }

    /// `{name="value",…}` with each value escaped as the format asks (`\\`, `\"`,
    /// `\n`); empty without labels.
    static func labels(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        return "{" + pairs.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// A label value escaped for the text format.
    static func escaped(_ value: String) -> String {
        var result = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
