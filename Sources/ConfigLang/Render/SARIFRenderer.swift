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
        let driver: JSONWriter.Value = .object([
            ("name", .string("swap-lint")),
            ("version", .string(SwapVersion.current)),
            ("rules", .array(codes.map(rule(for:)))),
        ])
        let run: JSONWriter.Value = .object([
            ("tool", .object([("driver", driver)])),
            ("columnKind", .string("unicodeCodePoints")),
            ("results", .array(diagnostics.map { result(for: $0, ruleIndex: ruleIndex[$0.code] ?? 0) })),
        ])
        return JSONWriter.write(
            .object([
                ("$schema", .string(schemaURI)),
                ("version", .string("2.1.0")),
                ("runs", .array([run])),
            ]))
    }

    private static func rule(for code: DiagnosticCode) -> JSONWriter.Value {
        let explanation = code.explanation
        return .object([
            ("id", .string(code.rawValue)),
            ("name", .string(code.name)),
            ("shortDescription", .object([("text", .string(explanation.title))])),
            ("fullDescription", .object([("text", .string(explanation.summary))])),
            ("defaultConfiguration", .object([("level", .string(level(for: code.defaultSeverity)))])),
            ("properties", .object([("tags", .array([.string(code.group)]))])),
        ])
    }

    private static func result(for diagnostic: Diagnostic, ruleIndex: Int) -> JSONWriter.Value {
        var text = diagnostic.message
        if let help = diagnostic.help { text += "\nhelp: \(help)" }
        var members: [(String, JSONWriter.Value)] = [
            ("ruleId", .string(diagnostic.code.rawValue)),
            ("ruleIndex", .int(ruleIndex)),
            ("level", .string(level(for: diagnostic.severity))),
            ("message", .object([("text", .string(text))])),
            ("locations", .array([.object([("physicalLocation", physicalLocation(diagnostic.span))])])),
        ]
        if !diagnostic.related.isEmpty {
            let related = diagnostic.related.enumerated().map { index, related in
                JSONWriter.Value.object([
                    ("id", .int(index + 1)),
                    ("physicalLocation", physicalLocation(related.span)),
                    ("message", .object([("text", .string(related.label))])),
                ])
            }
            members.append(("relatedLocations", .array(related)))
        }
        return .object(members)
    }

    private static func physicalLocation(_ span: Span) -> JSONWriter.Value {
        .object([
            ("artifactLocation", .object([("uri", .string(uri(forPath: span.file)))])),
            (
                "region",
                .object([
                    ("startLine", .int(span.start.line)),
                    ("startColumn", .int(span.start.column)),
                    ("endLine", .int(span.end.line)),
                    ("endColumn", .int(span.end.column)),
                ])
            ),
        ])
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
