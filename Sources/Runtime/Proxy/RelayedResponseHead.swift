import HTTPTypes
import NIOCore

/// What swap makes of an upstream response head before relaying it: the status, the
/// end-to-end headers (hop-by-hop ones and `Content-Length` dropped, `X-Accel-Buffering:
/// no` and `Cache-Control: no-cache` on server-sent events), and the body length the
/// relayed response declares.
struct RelayedResponseHead: Sendable {
    /// The status.
    var status: HTTPResponse.Status
    /// The headers to send, without `Content-Length`.
    var headers: HTTPFields
    /// Whether the answer is a stream of server-sent events.
    var isEventStream: Bool
    /// The body length the answer declared (nil for an event stream or without one).
    var contentLength: Int?

    /// The event sent to a client whose event stream the backend cut off.
    static let midStreamFailureEvent =
        "data: {\"error\":{\"message\":\"the backend stopped in the middle of the response\",\"type\":\"server_error\",\"code\":\"backend_failed\"}}\n\n"

    /// Reads an upstream head: its status code and its header fields as sent.
    init(status upstreamStatus: Int, headers upstreamHeaders: some Sequence<(name: String, value: String)>) {
        var headers = HTTPFields()
        var contentType: String?
        var contentLengthField: String?
        for header in upstreamHeaders {
            // The name is lowercased once, by `HTTPField.Name` (its canonical name); a
            // name it rejects is no `Content-Type` or `Content-Length` either.
            guard let fieldName = HTTPField.Name(header.name) else { continue }
            if fieldName == .contentType {
                contentType = contentType ?? header.value
            } else if fieldName == .contentLength {
                contentLengthField = contentLengthField ?? header.value
            }
            if UpstreamClient.hopByHop.contains(fieldName.canonicalName) { continue }
            headers.append(HTTPField(name: fieldName, value: header.value))
        }
        let isEventStream = contentType?.lowercased().hasPrefix("text/event-stream") ?? false
        if isEventStream {
            headers[HTTPField.Name("X-Accel-Buffering")!] = "no"
            headers[.cacheControl] = "no-cache"
        }
        self.isEventStream = isEventStream
        self.headers = headers
        status = HTTPResponse.Status(code: upstreamStatus)
        contentLength = isEventStream ? nil : contentLengthField.flatMap { Int($0) }
    }

    /// Whether the relay reads the first body chunk before sending the head (a body of
    /// known, nonzero length): when that chunk is the whole body and the end follows,
    /// head, body and end go out in one write.
    var readsAhead: Bool {
        guard let contentLength else { return false }
        return contentLength > 0
    }

    /// Whether `chunk`, the first one read ahead, is the whole body.
    func isWholeBody(_ chunk: ByteBuffer) -> Bool {
        chunk.readableBytes == contentLength
    }
}
