/// Renders diagnostics as the versioned JSON envelope of `--format json`.
///
/// The shape is documented in `docs/json-format.md`; `version` changes whenever a
/// change could break a consumer. Keys appear in a fixed order.
enum JSONRenderer {
    /// The envelope version this renderer writes.
    static let formatVersion = 1

    /// The complete JSON document, ending with a newline.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        JSONWriter.write(envelope(diagnostics))
    }

    static func envelope(_ diagnostics: [Diagnostic]) -> JSONWriter.Value {
        let count = { (severity: Severity) in diagnostics.count { $0.severity == severity } }
        return .object([
            ("version", .int(formatVersion)),
            ("tool", .object([("name", .string("swap-lint")), ("version", .string(SwapVersion.current))])),
            ("diagnostics", .array(diagnostics.map(value(of:)))),
            (
                "summary",
                .object([
                    ("errors", .int(count(.error))),
                    ("warnings", .int(count(.warning))),
                    ("notes", .int(count(.note))),
                ])
            ),
        ])
    }

    private static func value(of diagnostic: Diagnostic) -> JSONWriter.Value {
        .object([
            ("code", .string(diagnostic.code.rawValue)),
            ("severity", .string(diagnostic.severity.rawValue)),
            ("message", .string(diagnostic.message)),
            ("file", .string(diagnostic.span.file)),
            ("start", value(of: diagnostic.span.start)),
            ("end", value(of: diagnostic.span.end)),
            (
                "related",
                .array(
                    diagnostic.related.map { related in
                        .object([
                            ("file", .string(related.span.file)),
                            ("start", value(of: related.span.start)),
                            ("end", value(of: related.span.end)),
                            ("label", .string(related.label)),
                        ])
                    })
            ),
            ("help", diagnostic.help.map(JSONWriter.Value.string) ?? .null),
        ])
    }

    private static func value(of location: SourceLocation) -> JSONWriter.Value {
        .object([("line", .int(location.line)), ("column", .int(location.column))])
    }
}
