import FoundationEssentials
import HTTPTypes

/// Decides whether a request carries one of the configured API keys: as
/// `Authorization: Bearer KEY`, `x-api-key: KEY`, or the password of Basic auth.
public struct APIKeyCheck: Sendable {
    /// The accepted keys; empty means every request is allowed.
    public let keys: Set<String>

    /// Creates a check.
    public init(keys: [String]) {
        self.keys = Set(keys.filter { !$0.isEmpty })
    }

    /// True when no key is configured or the request presents an accepted one.
    public func allows(_ headers: HTTPFields) -> Bool {
        guard !keys.isEmpty else { return true }
        if let key = headers[.xAPIKey], keys.contains(key) { return true }
        guard let authorization = headers[.authorization] else { return false }
        if authorization.lowercased().hasPrefix("bearer ") {
            return keys.contains(Self.trimmed(authorization.dropFirst(7)))
        }
        if authorization.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: Self.trimmed(authorization.dropFirst(6))),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            return keys.contains(String(text[text.index(after: colon)...]))
        }
        return false
    }

    /// `text` without leading and trailing spaces and tabs.
    private static func trimmed(_ text: Substring) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(text.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
    }
}

extension HTTPField.Name {
    /// `x-api-key`, Anthropic's key header.
    static let xAPIKey = HTTPField.Name("x-api-key")!
}
