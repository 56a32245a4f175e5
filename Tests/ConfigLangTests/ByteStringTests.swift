import Testing

@testable import ConfigLang

/// The byte-level string helpers the compiler calls on every scalar.
@Suite("byte string helpers")
struct ByteStringTests {
    @Test(
        "containsBytes finds a needle anywhere, including at the ends and after a near miss",
        arguments: [
            ("${PORT}", "${PORT}", true),
            ("--port ${PORT}", "${PORT}", true),
            ("${PORT} --x", "${PORT}", true),
            ("$${PO ${PORT", "${PORT}", false),
            ("$$${PORT}", "${PORT}", true),
            ("", "${", false),
            ("abc", "", true),
            ("kéy ${MODEL_ID}", "${MODEL_ID}", true),
            ("${MODEL_I}", "${MODEL_ID}", false),
        ])
    func containsBytes(haystack: String, needle: String, expected: Bool) {
        #expect(haystack.containsBytes(needle) == expected)
        #expect(haystack[...].containsBytes(needle) == expected)
    }

    @Test(
        "replacingOccurrences replaces every occurrence, keeps other text and multi-byte characters",
        arguments: [
            ("${MODEL_ID}:precise", "${MODEL_ID}", "llama-é", "llama-é:precise"),
            ("a ${MODEL_ID} b ${MODEL_ID}", "${MODEL_ID}", "m", "a m b m"),
            ("ünïcode ${X}${X}", "${X}", "→", "ünïcode →→"),
            ("no match", "${X}", "y", "no match"),
            ("$${X}", "${X}", "", "$"),
        ])
    func replacing(text: String, target: String, replacement: String, expected: String) {
        #expect(text.replacingOccurrences(of: target, with: replacement) == expected)
    }
}
