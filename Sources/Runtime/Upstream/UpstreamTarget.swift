/// A backend address the proxy's own client can reach: `http://HOST[:PORT][/PREFIX]`.
/// Anything else (https peers) goes through AsyncHTTPClient.
public struct UpstreamTarget: Sendable, Equatable {
    /// The host to connect to (an IPv6 address without brackets).
    public var host: String
    /// The port (80 when the URL names none).
    public var port: Int
    /// The path the base URL ends with, without a trailing `/` (often empty).
    public var pathPrefix: String
    /// The `Host` header's value.
    public var hostHeader: String

    /// Parses `baseURL`; nil when it is not a plain `http://` URL with a valid port.
    ///
    /// Works on the UTF-8 bytes, where every delimiter is ASCII. A backend's address is
    /// parsed once (``UpstreamAddress``); a peer's is still parsed for each request.
    public init?(baseURL: String) {
        var rest = baseURL.utf8[...]
        guard rest.starts(with: "http://".utf8) else { return nil }
        rest = rest.dropFirst(7)
        if rest.last == UInt8(ascii: "/") { rest = rest.dropLast() }
        let authority: Substring.UTF8View
        if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
            authority = rest[..<slash]
            pathPrefix = String(Substring(rest[slash...]))
        } else {
            authority = rest
            pathPrefix = ""
        }
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")),
            !pathPrefix.utf8.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
        else { return nil }
        hostHeader = String(Substring(authority))
        let hostPart: Substring.UTF8View
        var portPart: Substring.UTF8View?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(Substring(hostPart))
        if let portPart {
            guard let port = Int(Substring(portPart)), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 80
        }
    }
}
