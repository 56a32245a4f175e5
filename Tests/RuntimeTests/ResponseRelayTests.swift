import NIOCore
import NIOHTTP1
import Testing

@testable import Runtime

/// How swap relays one upstream answer, without sockets: read ahead, one write for a
/// small answer, streaming, failures, decided part by part.
struct ResponseRelayTests {
    typealias Machine = ResponseRelay

    struct Refused: Error {}

    static func head(_ headers: [(String, String)], status: HTTPResponseStatus = .ok) -> HTTPResponseHead {
        HTTPResponseHead(version: .http1_1, status: status, headers: HTTPHeaders(headers))
    }

    static let json = head([("Content-Type", "application/json"), ("Content-Length", "5")])
    static let events = head([("Content-Type", "text/event-stream")])

    /// The written parts of a `.write` action: head (its content length), chunks, end.
    static func written(_ action: Machine.Action) -> (head: Int??, chunks: [String], end: Bool)? {
        guard case .write(let head, let chunks, let end) = action else { return nil }
        return (head.map { $0.contentLength }, chunks.map { String(buffer: $0) }, end)
    }

    @Test("a small answer that arrives whole goes out as head, body and end at its end")
    func wholeAnswer() throws {
        var machine = Machine()
        #expect(machine.received(head: Self.json).isNone, "the head waits for the first chunk")
        #expect(machine.received(chunk: ByteBuffer(string: "hello")).isNone, "the whole body: wait for the end")
        let written = try #require(Self.written(machine.receivedEnd()))
        #expect(written.head == .some(5) && written.chunks == ["hello"] && written.end)
        #expect(machine.receivedEnd().isNone, "the relay is over")
    }

    @Test("a body of known length that comes in pieces streams from its first piece")
    func piecesStream() throws {
        var machine = Machine()
        _ = machine.received(head: Self.json)
        let first = try #require(Self.written(machine.received(chunk: ByteBuffer(string: "he"))))
        #expect(first.head == .some(5) && first.chunks == ["he"] && !first.end)
        let second = try #require(Self.written(machine.received(chunk: ByteBuffer(string: "llo"))))
        #expect(second.head == nil && second.chunks == ["llo"])
        #expect(try #require(Self.written(machine.receivedEnd())).end)
    }

    @Test("a whole first chunk followed by more streams both")
    func wholeThenMore() throws {
        var machine = Machine()
        _ = machine.received(head: Self.json)
        _ = machine.received(chunk: ByteBuffer(string: "hello"))
        let written = try #require(Self.written(machine.received(chunk: ByteBuffer(string: "!"))))
        #expect(written.head == .some(5) && written.chunks == ["hello", "!"] && !written.end)
    }

    @Test("an event stream's head goes out at once, then each chunk")
    func eventStream() throws {
        var machine = Machine()
        let head = try #require(Self.written(machine.received(head: Self.events)))
        #expect(head.head == .some(nil), "no length: chunked")
        #expect(Self.written(machine.received(chunk: ByteBuffer(string: "data: 1\n\n")))?.chunks == ["data: 1\n\n"])
    }

    @Test("a backend failing before its head: a timeout is a 504, any other failure a 502")
    func failureBeforeHead() {
        var machine = Machine()
        guard case .failedBeforeHead(let error) = machine.failed(Refused()) else {
            Issue.record("fails before the head")
            return
        }
        #expect(error is Refused)
        let refused = OpenAIError.upstreamFailed(error, baseURL: "http://b")
        #expect(refused.status == .badGateway && refused.code == "backend_failed")
        let timeout = OpenAIError.upstreamFailed(UpstreamError.responseHeaderTimeout(seconds: 2), baseURL: "http://b")
        #expect(timeout.status == .gatewayTimeout && timeout.code == "backend_timeout")
    }

    @Test("a backend failing while its body is read ahead fails before anything was written")
    func failureReadingAhead() {
        var machine = Machine()
        _ = machine.received(head: Self.json)
        _ = machine.received(chunk: ByteBuffer(string: "hello"))
        guard case .failedBeforeAnswer(let error) = machine.failed(Refused()) else {
            Issue.record("fails before the answer")
            return
        }
        #expect(error is Refused)
        #expect(machine.receivedEnd().isNone, "nothing after the failure")
    }

    @Test("a body cut off after its head: an event stream ends with an error event, others close")
    func cutOff() {
        var stream = Machine()
        _ = stream.received(head: Self.events)
        guard case .cutOff(true) = stream.failed(Refused()) else {
            Issue.record("event stream cut off")
            return
        }
        var body = Machine()
        _ = body.received(head: Self.json)
        _ = body.received(chunk: ByteBuffer(string: "he"))
        guard case .cutOff(false) = body.failed(Refused()) else {
            Issue.record("body cut off")
            return
        }
    }
}

extension ResponseRelay.Action {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

extension ResponseRelay {
    /// The head arrived, as the upstream connection hands it over.
    mutating func received(head: HTTPResponseHead) -> Action {
        received(status: Int(head.status.code), headers: head.headers)
    }
}
