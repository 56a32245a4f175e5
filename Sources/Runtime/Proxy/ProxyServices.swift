import ConfigLang
import HTTPTypes
import NIOCore

/// Where the proxy finds a model's backend once it is admitted: ``BackendPool``, or a
/// stand-in in tests of the core.
public protocol BackendAddressing: Sendable {
    /// The address of `model`'s backend once it is ready (starting it again if it died
    /// since the scheduler admitted the request); throws when it cannot start.
    func readyAddress(of model: String) async throws -> UpstreamAddress
}

/// How the proxy sends a request to a backend or peer: ``UpstreamClient``, or a
/// stand-in in tests of the core.
protocol UpstreamSending: Sendable {
    /// Sends the request and returns the answer once its head has arrived; its body
    /// streams. `stripCredentials` drops the client's `Authorization`/`x-api-key`;
    /// `inject` adds headers; `eventLoop` is the client connection's loop.
    func send(
        method: HTTPRequest.Method, to address: UpstreamAddress, path: String, query: String?, headers: HTTPFields,
        body: UpstreamRequestBody, stripCredentials: Bool, inject: [(String, String)], on eventLoop: (any EventLoop)?,
        timeouts: ConnectionTimeouts
    ) async throws -> UpstreamAnswer
}

extension BackendPool: BackendAddressing {}

extension UpstreamClient: UpstreamSending {}
