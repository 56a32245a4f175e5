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
    public init?(baseURL: String) {
        guard baseURL.hasPrefix("http://") else { return nil }
        var rest = Substring(baseURL.dropFirst("http://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let authority: Substring
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            pathPrefix = String(rest[slash...])
        } else {
            authority = rest
            pathPrefix = ""
        }
        // Character searches: a string argument would pick Foundation's `contains`, which
        // costs more than the rest of this parse (it runs for every proxied request).
        let at: Character = "@"
        guard !authority.isEmpty, !authority.contains(at), !pathPrefix.contains(where: { $0 == "?" || $0 == "#" })
        else { return nil }
        hostHeader = String(authority)
        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return nil }
                portPart = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        } else {
            hostPart = authority
        }
        guard !hostPart.isEmpty else { return nil }
        host = String(hostPart)
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 80
        }
    }
}
