import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 client connection over a plain blocking socket, for tests that need
/// what a client library hides: several requests written at once (pipelining), a
/// connection kept or closed by hand, responses read part by part, and raw bytes.
///
/// Reads wait at most `timeout` seconds and then throw.
///
/// ```swift
/// let connection = try RawHTTPConnection(port: server.port)
/// defer { connection.close() }
/// try connection.send(RawHTTPConnection.post("/v1/chat/completions", json: body))
/// let response = try connection.readResponse()
/// ```
public final class RawHTTPConnection {
    /// A response as read.
    public struct Response: Sendable {
        /// The status code.
        public var status: Int
        /// The header fields, in order, names as sent.
        public var headers: [(name: String, value: String)]
        /// The body (chunked bodies joined).
        public var body: [UInt8]
        /// When each chunk of a chunked body arrived (empty for other bodies).
        public var chunkTimes: [ContinuousClock.Instant] = []

        /// The first value of `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as text.
        public var text: String { String(decoding: body, as: UTF8.self) }

        /// The body parsed as a JSON object, if it is one.
        public var json: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        }
    }

    /// A read or write failed, or the peer closed the connection early.
    public struct Failure: Error, CustomStringConvertible {
        /// What happened.
        public var description: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int, timeout: Int = 15) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            Glibc.close(descriptor)
            throw Failure(description: "connect() to port \(port) failed")
        }
    }

    deinit {
        close()
    }

    /// The text of a `POST` of `json` to `path`, with `headers` added.
    public static func post(_ path: String, json: Any, headers: [(String, String)] = []) -> [UInt8] {
        let body = (try? JSONSerialization.data(withJSONObject: json)) ?? Data()
        var text = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        text += "Content-Length: \(body.count)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8) + Array(body)
    }

    /// The text of a `GET` of `path`.
    public static func get(_ path: String, headers: [(String, String)] = []) -> [UInt8] {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return Array((text + "\r\n").utf8)
    }

    /// Writes `bytes` whole.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
            guard written > 0 else { throw Failure(description: "send() failed") }
            offset += written
        }
    }

    /// Shuts the sending side (a half-close): the server reads the end of the stream,
    /// and this side can still read the answer.
    public func finishSending() {
        if isOpen { shutdown(descriptor, Int32(SHUT_WR)) }
    }

    /// Closes the connection (once).
    public func close() {
        if isOpen {
            isOpen = false
            Glibc.close(descriptor)
        }
    }

    private var isOpen = true

    /// Whether the server has closed the connection: a read finds its end (waiting up to
    /// the timeout for it) with no bytes before it.
    public func peerClosed() throws -> Bool {
        if !buffer.isEmpty { return false }
        return try fill() == 0
    }

    /// Reads one whole response.
    public func readResponse() throws -> Response {
        var response = try readHead()
        if let length = response.header("content-length").flatMap({ Int($0) }) {
            response.body = try take(length)
        } else if response.header("transfer-encoding")?.lowercased() == "chunked" {
            while let chunk = try readChunk() {
                response.body += chunk
                response.chunkTimes.append(.now)
            }
        }
        return response
    }

    /// Reads a response's status line and headers; the body is left to read.
    public func readHead() throws -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw Failure(description: "bad status line: \(statusLine)")
        }
        var headers: [(name: String, value: String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header: \(line)") }
            headers.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
            )
        }
        return Response(status: status, headers: headers, body: [])
    }

    /// Reads the next chunk of a chunked body; nil at its end.
    public func readChunk() throws -> [UInt8]? {
        let sizeLine = try readLine()
        guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
            throw Failure(description: "bad chunk size: \(sizeLine)")
        }
        if size == 0 {
            while try !readLine().isEmpty {}
            return nil
        }
        let chunk = try take(size)
        guard try readLine().isEmpty else { throw Failure(description: "chunk not followed by CRLF") }
        return chunk
    }

    private func readLine() throws -> String {
        while true {
            if let end = buffer.indices.dropLast().first(where: { buffer[$0] == 13 && buffer[$0 + 1] == 10 }) {
                let line = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                return line
            }
            guard try fill() > 0 else { throw Failure(description: "connection closed inside a line") }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() > 0 else { throw Failure(description: "connection closed inside a body") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Reads what is there into the buffer; returns how many bytes (0 at the end).
    private func fill() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == ECONNRESET { return 0 }
            throw Failure(description: "recv() failed or timed out (errno \(errno))")
        }
        buffer += chunk[..<count]
        return count
    }
}
