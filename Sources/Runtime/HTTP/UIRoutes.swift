import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /` → `/ui/`, and the web UI's files under `/ui/` (``UIAssets``).
///
/// Every answer says `Cache-Control: no-cache` with an `ETag`: the browser keeps the
/// files and asks each time whether they changed, so a new swap-server's UI shows at
/// once and an unchanged one costs a 304.
struct UIRoutes: Sendable {
    /// The files served.
    let assets: UIAssets

    /// The redirect from `/`, or nil for any other request. Answered before the API key
    /// check, as upstream does: it reveals nothing.
    static func rootRedirect(_ request: Request) -> Response? {
        guard request.uri.path == "/", request.method == .get || request.method == .head else { return nil }
        return Response(status: .found, headers: [.location: "/ui/"])
    }

    /// The answer for a path under `/ui`, or nil for any other path.
    func respond(to request: Request) -> Response? {
        let path = request.uri.path
        if path == "/ui" { return Response(status: .movedPermanently, headers: [.location: "/ui/"]) }
        guard path.hasPrefix("/ui/") else { return nil }
        guard request.method == .get || request.method == .head else {
            return Response(
                OpenAIError(
                    .methodNotAllowed, "The UI's files are read with GET.", type: "invalid_request_error",
                    code: "method_not_allowed"
                ).response)
        }
        guard let asset = assets.asset(for: path.dropFirst("/ui/".count)) else {
            return Response(OpenAIError.noRoute(request.method, path).response)
        }
        var headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: "no-cache", .eTag: asset.etag,
            .init("X-Content-Type-Options")!: "nosniff",
        ]
        if request.headers[values: .ifNoneMatch].contains(where: { $0.contains(asset.etag) }) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        let body = request.method == .head ? ByteBuffer() : ByteBuffer(string: asset.body)
        headers[.contentLength] = String(asset.body.utf8.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
