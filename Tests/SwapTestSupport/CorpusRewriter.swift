import ConfigLang
import Foundation

/// Rewrites a real config so its models run the fake backend: each model's `cmd`
/// value becomes `{FAKE} --port ${PORT}`, `cmdStop` and `checkEndpoint` are dropped
/// to their defaults, fixed `proxy` URLs become `http://127.0.0.1:${PORT}`, and
/// `startPort` becomes `{START_PORT}`. Positions come from ConfigLang's own spans.
public enum CorpusRewriter {
    /// The config text with every model's command replaced by the fake backend.
    public static func replacingCommands(in text: String, name: String) throws -> String {
        let source = SourceFile(name: name, text: text)
        guard let root = YAMLComposer.compose(source).root else { throw HarnessError("\(name) does not parse") }
        var edits: [(Range<Int>, String)] = []
        for entry in root["models"]?.entries ?? [] {
            for field in entry.value.entries ?? [] {
                let range = source.byteOffset(of: field.value.span.start)..<byteEnd(field.value, in: source)
                switch field.name {
                case "cmd": edits.append((range, "\"{FAKE} --port ${PORT}\"\n"))
                case "proxy": edits.append((range, "\"http://127.0.0.1:${PORT}\"\n"))
                case "cmdStop": edits.append((range, "\"\"\n"))
                case "checkEndpoint": edits.append((range, "/health\n"))
                default: break
                }
            }
        }
        var bytes = Array(text.utf8)
        // Values shared through anchors and `<<` merges are one span seen from several
        // models: edit it once.
        var seen = Set<Int>()
        edits = edits.filter { seen.insert($0.0.lowerBound).inserted }
        for (range, replacement) in edits.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) {
            // An anchored value (`&name "…"`) keeps its anchor, so aliases of it still resolve.
            let anchor =
                bytes[range].first == UInt8(ascii: "&") ? Array(bytes[range].prefix { $0 != 0x20 }) + [0x20] : []
            bytes.replaceSubrange(range, with: anchor + Array(replacement.utf8))
        }
        var result = String(decoding: bytes, as: UTF8.self)
        if let range = result.range(of: #"(?m)^startPort:.*$"#, options: .regularExpression) {
            result.replaceSubrange(range, with: "startPort: {START_PORT}")
        } else {
            result = "startPort: {START_PORT}\n" + result
        }
        return result
    }

    /// The byte just past a value: the end of its last line (block scalars end where the
    /// next key starts, so never beyond the line the value's text ends on).
    private static func byteEnd(_ node: YAMLNode, in source: SourceFile) -> Int {
        var end = source.byteOffset(of: node.span.end)
        let bytes = source.bytes
        if node.span.end.column == 1, end > 0 { end -= 1 }
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return min(end + 1, bytes.count)
    }
}
