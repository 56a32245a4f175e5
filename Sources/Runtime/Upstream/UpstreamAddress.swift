/// Where requests for a backend or peer go: its base URL as the config gives it, and
/// that URL parsed for swap's own HTTP/1.1 client (nil for an `https` or otherwise
/// unusual URL, which goes through AsyncHTTPClient).
///
/// Made once per backend (``Backend/upstreamAddress``), so the proxy does not parse
/// the URL again for every request.
public struct UpstreamAddress: Sendable, Equatable {
    /// The base URL, for messages and for AsyncHTTPClient.
    public let baseURL: String
    /// The parsed target, when the URL is plain `http`.
    public let target: UpstreamTarget?

    /// Parses `baseURL` once.
    public init(_ baseURL: String) {
        self.baseURL = baseURL
        target = UpstreamTarget(baseURL: baseURL)
    }
}
