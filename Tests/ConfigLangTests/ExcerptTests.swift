import Testing

@testable import ConfigLang

/// The human renderer quotes a long line as a window around the span.
@Suite("Source excerpts")
struct ExcerptTests {
    @Test("a short line is quoted whole, with the span's columns unchanged")
    func shortLine() {
        let excerpt = Excerpt("    ttl: 60", from: 5, to: 8)
        #expect(excerpt.text == "    ttl: 60")
        #expect(excerpt.start == 5 && excerpt.end == 8)
    }

    @Test("a long line is clipped around the span on both sides, and the span still points at its text")
    func longLine() {
        let line = String(repeating: "a", count: 1000) + "${zz}" + String(repeating: "b", count: 1000)
        let excerpt = Excerpt(line, from: 1001, to: 1006)
        #expect(excerpt.text.hasPrefix("…") && excerpt.text.hasSuffix("…"))
        #expect(excerpt.text.unicodeScalars.count == Excerpt.maximumColumns + 2)
        let scalars = Array(excerpt.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[(excerpt.start - 1)..<(excerpt.end! - 1)])) == "${zz}")
    }

    @Test("a span at the start of a long line keeps the start and clips the end")
    func longLineStart() {
        let line = "x: " + String(repeating: "c", count: 5000)
        let excerpt = Excerpt(line, from: 4, to: 5004)
        #expect(!excerpt.text.hasPrefix("…") && excerpt.text.hasSuffix("…"))
        #expect(excerpt.start == 4)
        #expect(excerpt.end == Excerpt.maximumColumns + 1)
    }

    @Test("rendering a hundred reports over a 300 KB line quotes at most a window of it each")
    func boundedReport() {
        let line = "d: \"" + String(repeating: "${zz}", count: 60_000) + "\""
        let file = SourceFile(name: "c.yaml", text: line + "\n")
        let diagnostics = (0..<100).map { index in
            Diagnostic(
                .unknownMacro, "unknown macro `zz`",
                at: Span(
                    file: "c.yaml", start: SourceLocation(line: 1, column: 5 + 5 * index),
                    end: SourceLocation(line: 1, column: 10 + 5 * index)))
        }
        let text = DiagnosticRenderer.render(diagnostics, format: .human, sources: ["c.yaml": file], color: false)
        #expect(text.utf8.count < 100 * 1000)
        #expect(text.contains("^~~~~"))
    }
}
