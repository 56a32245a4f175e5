/// Renders diagnostics as the versioned JSON envelope of `--format json`.
///
/// The shape is documented in `docs/json-format.md`; `version` changes whenever a
/// change could break a consumer. Keys appear in a fixed order.
enum JSONRenderer {
    /// The envelope version this renderer writes.
    static let formatVersion = 1

    /// The complete JSON document, ending with a newline.
    static func render(_ diagnostics: [Diagnostic]) -> String {
        var writer = JSONWriter(pretty: true)
        writer.beginObject()
        writer.key("version")
        writer.integer(formatVersion)
        writer.key("tool")
        writer.beginObject()
        writer.key("name")
        writer.string("swap-lint")
        writer.key("version")
        writer.string(SwapVersion.current)
        writer.endObject()
        writer.key("diagnostics")
        writer.beginArray()
        for diagnostic in diagnostics { write(diagnostic, to: &writer) }
        writer.endArray()
        writer.key("summary")
        writer.beginObject()
        for (name, severity) in [("errors", Severity.error), ("warnings", .warning), ("notes", .note)] {
            writer.key(name)
            writer.integer(diagnostics.count { $0.severity == severity })
        }
        writer.endObject()
        writer.endObject()
        writer.endLine()
        return writer.text
    }

    private static func write(_ diagnostic: Diagnostic, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("code")
        writer.string(diagnostic.code.rawValue)
        writer.key("severity")
        writer.string(diagnostic.severity.rawValue)
        writer.key("message")
        writer.string(diagnostic.message)
        write(diagnostic.span, to: &writer)
        writer.key("related")
        writer.beginArray()
        for related in diagnostic.related {
            writer.beginObject()
            write(related.span, to: &writer)
            writer.key("label")
            writer.string(related.label)
            writer.endObject()
        }
        writer.endArray()
        writer.key("help")
        if let help = diagnostic.help { writer.string(help) } else { writer.null() }
        writer.endObject()
    }

    /// The members `file`, `start` and `end`.
    private static func write(_ span: Span, to writer: inout JSONWriter) {
        writer.key("file")
        writer.string(span.file)
        for (name, location) in [("start", span.start), ("end", span.end)] {
            writer.key(name)
            writer.beginObject()
            writer.key("line")
            writer.integer(location.line)
            writer.key("column")
            writer.integer(location.column)
            writer.endObject()
        }
    }
}
