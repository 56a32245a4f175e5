import ConfigLang
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTP1

/// A model-routed request the server's fast path (``FastPathHandler``) forwards to a
/// local model itself, and the decision whether a request is one.
///
/// The decision is pure and takes the responder's own rules (``SwapResponder/modelBody(_:contentType:queryModel:)``,
/// ``SwapResponder/route(_:body:plan:activeProfile:readyModels:)``, ``APIKeyCheck``),
/// so a request the fast path takes is read, resolved and rewritten exactly as the
/// Hummingbird path would. Anything it does not take, including every request that
/// ends in an error, goes to that path unchanged: the errors are written there.
struct FastPathRequest: Sendable {
    /// The ID of the model the request is admitted for.
    let modelID: String
    /// The model's `timeouts.responseHeader`.
    let responseHeaderTimeout: Int
    /// The client's header fields, as the Hummingbird path sees them.
    let headers: HTTPFields
    /// The path forwarded (without the query).
    let path: String
    /// The query forwarded, if any.
    let query: String?
    /// The body sent upstream (the client's, with the model's locks and `useModelName`).
    let body: [UInt8]
    /// Whether the client's `Authorization` / `x-api-key` are swap's own keys (dropped).
    let stripCredentials: Bool

    /// Whether a request with `head` may be one, judged before its body is read: a
    /// keep-alive HTTP/1.1 `POST` to a model-routed path in origin form, without
    /// `Expect`, a multipart body, or a declared body of `maxBodyBytes` or more (the
    /// Hummingbird path closes the connection after a `Connection: close` request).
    static func isCandidate(_ head: HTTPRequestHead, maxBodyBytes: Int) -> Bool {
        guard head.method == .POST, head.version == .http1_1, head.isKeepAlive,
            !head.headers.contains(name: "expect")
        else { return false }
        let uri = head.uri.utf8
        guard uri.first == UInt8(ascii: "/"), !uri.contains(UInt8(ascii: "#")) else { return false }
        let pathEnd = uri.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex
        guard SwapResponder.modelRoutedPaths.contains(String(Substring(uri[..<pathEnd]))) else { return false }
        if let type = head.headers.first(name: "content-type"), type.utf8.starts(ignoringASCIICase: "multipart/") {
            return false
        }
        if let length = head.headers.first(name: "content-length") {
            guard let length = Int(length), length < maxBodyBytes else { return false }
        }
        return true
    }

    /// The fast-path request for a complete request, or nil when the Hummingbird path
    /// must serve it: the API key is missing or wrong, the body is not a JSON object
    /// naming a model, or the name does not lead to a local model.
    ///
    /// `head` is one ``isCandidate(_:maxBodyBytes:)`` admitted and `body` stayed under
    /// the limit: the connection's ``FastPathHandler/StateMachine`` hands over nothing
    /// else, so neither is checked again here.
    static func decide(
        head: HTTPRequestHead, body: ByteBuffer?, plan: Plan, keyCheck: APIKeyCheck, activeProfile: String?,
        readyModels: () -> Set<String>
    ) -> FastPathRequest? {
        let headers = HTTPFields(head.headers, splitCookie: false)
        guard keyCheck.allows(headers) else { return nil }
        // What Hummingbird's `Request` makes of the target; a target without a query is
        // its path as it is (it has no `#`, see `isCandidate`).
        let uri = head.uri.utf8.contains(UInt8(ascii: "?")) ? URI(head.uri) : nil
        let path = uri?.path ?? head.uri
        let bytes = body.map { Array($0.readableBytesView) } ?? []
        guard
            let (name, held) = try? SwapResponder.modelBody(
                bytes, contentType: headers.scannedValue(.contentType) ?? "",
                queryModel: { uri?.queryParameters.get("model") }),
            case .json = held,
            case .local(let model, .bytes(let upstreamBody))? = try? SwapResponder.route(
                name, body: held, plan: plan, activeProfile: activeProfile, readyModels: readyModels)
        else { return nil }
        return FastPathRequest(
            modelID: model.id, responseHeaderTimeout: model.timeouts.responseHeader, headers: headers, path: path,
            query: uri?.query, body: upstreamBody, stripCredentials: !plan.settings.apiKeys.isEmpty)
    }

    /// The head sent to `target`, as the Hummingbird path builds it.
    func upstreamHead(to target: UpstreamTarget) -> HTTPRequestHead {
        ProxyForwarder.upstreamHead(
            method: .post, to: target, path: path, query: query, headers: headers,
            body: .bytes(body), stripCredentials: stripCredentials, inject: [])
    }
}

extension String.UTF8View {
    /// Whether the text starts with `lowercase` (lowercase ASCII) in any ASCII case.
    fileprivate func starts(ignoringASCIICase lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { prefix in
            guard count >= prefix.count else { return false }
            return zip(self, prefix).allSatisfy { Self.lowercased($0) == $1 }
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
