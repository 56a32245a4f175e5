/// The web UI's files, built into the binary (`UI/web/`, embedded by the EmbedUI
/// plugin), and which of them answers a path under `/ui/`.
public struct UIAssets: Sendable {
    /// One file as served.
    public struct Asset: Sendable {
        /// The file's text.
        public let body: String
        /// `Content-Type`.
        public let contentType: String
        /// A strong validator of `body` (FNV-1a 64 in hex, quoted), for `ETag`.
        public let etag: String
    }

    /// The files by path under `/ui/` (`index.html`, `pages/models.js`).
    public let files: [String: Asset]

    /// The UI built into this binary.
    public static let embedded = UIAssets(EmbeddedUIFiles.all)

    /// Assets for `texts`, keyed by path.
    public init(_ texts: [String: String]) {
        files = texts.reduce(into: [:]) { files, entry in
            files[entry.key] = Asset(
                body: entry.value, contentType: Self.contentType(of: entry.key), etag: Self.etag(entry.value))
        }
    }

    /// The asset for `path` (what follows `/ui/`): the file itself; `index.html` for the
    /// root and for a path without an extension (a page of the app, which routes
    /// itself); nil for a missing file with an extension.
    public func asset(for path: Substring) -> Asset? {
        if let file = files[String(path)] { return file }
        let last = path.split(separator: "/").last ?? ""
        return last.contains(".") ? nil : files["index.html"]
    }

    /// The media type for a file name's extension.
    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last ?? "" {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "json", "webmanifest": "application/json"
        case "txt", "md": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// `"<FNV-1a 64 of text, hex>"`: enough to tell two versions of a file apart.
    static func etag(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}
