import Foundation
import HTTPTypes
import Hummingbird

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
            return keys.contains(String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        }
        if authorization.lowercased().hasPrefix("basic "),
            let data = Data(base64Encoded: String(authorization.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        {
            return keys.contains(String(text[text.index(after: colon)...]))
        }
        return false
    }
}

extension HTTPField.Name {
    /// `x-api-key`, Anthropic's key header.
    static let xAPIKey = HTTPField.Name("x-api-key")!
}
