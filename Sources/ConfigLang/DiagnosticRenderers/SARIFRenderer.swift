/// Renders diagnostics as a SARIF 2.1.0 log with one run, for code-scanning
/// services such as GitHub code scanning.
///
/// The driver lists one rule per code that occurs, sorted by code; each result
/// points at its rule by `ruleId` and `ruleIndex`. Regions use 1-based lines and
/// columns counted in Unicode code points (`columnKind` says so), with `endColumn`
/// just past the last character, exactly like `Span`.
enum SARIFRenderer {
    /// The SARIF schema the log declares.
    static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    /// The complete SARIF document, ending with a newline.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        let codes = Set(diagnostics.map(\.code)).sorted { $0.rawValue < $1.rawValue }
        var ruleIndex: [DiagnosticCode: Int] = [:]
        for (index, code) in codes.enumerated() { ruleIndex[code] = index }
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("$schema")
        writer.string(schemaURI)
        writer.key("version")
        writer.string("2.1.0")
        writer.key("runs")
        writer.beginArray()
        writer.beginObject()
        writer.key("tool")
        writer.beginObject()
        writer.key("driver")
        writer.beginObject()
        writer.key("name")
        writer.string("swap-lint")
        writer.key("version")
        writer.string(SwapVersion.current)
        writer.key("rules")
        writer.beginArray()
        for code in codes { writeRule(code, to: &writer) }
        writer.endArray()
        writer.endObject()
        writer.endObject()
        writer.key("columnKind")
        writer.string("unicodeCodePoints")
        writer.key("results")
        writer.beginArray()
        for diagnostic in diagnostics {
            writeResult(diagnostic, ruleIndex: ruleIndex[diagnostic.code] ?? 0, to: &writer)
        }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        writer.endLine()
        return writer.text
    }

    private static func writeRule(_ code: DiagnosticCode, to writer: inout JSONWriter) {
        let explanation = code.explanation
        writer.beginObject()
        writer.key("id")
        writer.string(code.rawValue)
        writer.key("name")
        writer.string(code.name)
        writeText("shortDescription", explanation.title, to: &writer)
        writeText("fullDescription", explanation.summary, to: &writer)
        writer.key("defaultConfiguration")
        writer.beginObject()
        writer.key("level")
        writer.string(level(for: code.defaultSeverity))
        writer.endObject()
        writer.key("properties")
        writer.beginObject()
        writer.key("tags")
        writer.beginArray()
        writer.string(code.group)
        writer.endArray()
        writer.endObject()
        writer.endObject()
    }

    private static func writeResult(_ diagnostic: Diagnostic, ruleIndex: Int, to writer: inout JSONWriter) {
        var text = diagnostic.message
        if let help = diagnostic.help { text += "\nhelp: \(help)" }
        writer.beginObject()
        writer.key("ruleId")
        writer.string(diagnostic.code.rawValue)
        writer.key("ruleIndex")
        writer.integer(ruleIndex)
        writer.key("level")
        writer.string(level(for: diagnostic.severity))
        writeText("message", text, to: &writer)
        writer.key("locations")
        writer.beginArray()
        writer.beginObject()
        writePhysicalLocation(diagnostic.span, to: &writer)
        writer.endObject()
        writer.endArray()
        if !diagnostic.related.isEmpty {
            writer.key("relatedLocations")
            writer.beginArray()
            for (index, related) in diagnostic.related.enumerated() {
                writer.beginObject()
                writer.key("id")
                writer.integer(index + 1)
                writePhysicalLocation(related.span, to: &writer)
                writeText("message", related.label, to: &writer)
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }

    /// The member `key: {"text": text}`.
    private static func writeText(_ key: String, _ text: String, to writer: inout JSONWriter) {
        writer.key(key)
        writer.beginObject()
        writer.key("text")
        writer.string(text)
        writer.endObject()
    }

    /// The member `physicalLocation`.
    private static func writePhysicalLocation(_ span: Span, to writer: inout JSONWriter) {
        writer.key("physicalLocation")
        writer.beginObject()
        writer.key("artifactLocation")
        writer.beginObject()
        writer.key("uri")
        writer.string(uri(forPath: span.file))
        writer.endObject()
        writer.key("region")
        writer.beginObject()
        for (name, value) in [
            ("startLine", span.start.line), ("startColumn", span.start.column), ("endLine", span.end.line),
            ("endColumn", span.end.column),
        ] {
            writer.key(name)
            writer.integer(value)
        }
        writer.endObject()
        writer.endObject()
    }

    private static func level(for severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// `path` as a URI reference: `/` separators kept, everything outside RFC 3986's
    /// unreserved characters percent-encoded as UTF-8.
    static func uri(forPath path: String) -> String {
        var output = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                output.append("%")
                output.append(digits[Int(byte >> 4)])
                output.append(digits[Int(byte & 0xF)])
            }
        }
        return output
    }
}
