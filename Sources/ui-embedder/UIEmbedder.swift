import Foundation

/// `ui-embedder ROOT OUTPUT FILE...`: writes OUTPUT, a Swift file whose
/// `EmbeddedUIFiles.all` maps each FILE's path under ROOT to its text, as raw string
/// literals (the build-time half of the EmbedUI plugin). The UI's files are text
/// (HTML, CSS, JavaScript, SVG); a file that is not UTF-8 stops the build.
@main
struct UIEmbedder {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count >= 2, let root = arguments.first else {
            FileHandle.standardError.write(Data("usage: ui-embedder ROOT OUTPUT FILE...\n".utf8))
            exit(2)
        }
        let output = arguments.dropFirst().first!
        let prefix = root.hasSuffix("/") ? root : root + "/"
        var swift = """
            // Generated at build time by the EmbedUI plugin from Sources/Runtime/UI/web/; do not edit.

            /// The web UI's files by path under `UI/web/`.
            enum EmbeddedUIFiles {
                static let all: [String: String] = [

            """
        for path in arguments.dropFirst(2) {
            guard path.hasPrefix(prefix) else { continue }
            let name = String(path.dropFirst(prefix.count))
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let text = String(data: data, encoding: .utf8) else {
                FileHandle.standardError.write(Data("ui-embedder: \(path) is not UTF-8 text\n".utf8))
                exit(1)
            }
            swift += "        \(literal(name)): \(literal(text)),\n"
        }
        swift += "    ]\n}\n"
        try Data(swift.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    }

    /// `text` as a multi-line raw string literal with one more `#` than the longest run
    /// of `#` in it, so nothing inside can end it or start an escape.
    static func literal(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "#" ? run + 1 : 0
            longest = max(longest, run)
        }
        let hashes = String(repeating: "#", count: longest + 1)
        // The line breaks after the opening and before the closing delimiter are not part
        // of the value; line endings inside become "\n".
        return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
    }
}
