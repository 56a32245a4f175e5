import ConfigLang
import Hummingbird

/// Builds complete (non-streaming) JSON responses.
enum JSONResponse {
    /// `value` encoded as the body, `Content-Type: application/json`.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.encoded()))
        )
    }
}
