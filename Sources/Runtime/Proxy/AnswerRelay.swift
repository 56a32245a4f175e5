import HTTPTypes
import NIOCore

/// Turns an upstream answer into the client's response by ``ResponseRelay``'s rules,
/// and settles the request when the answer is over.
///
/// A response with a `Content-Length` (not an event stream) waits for its first body
/// chunk before the head goes out: when that chunk is the whole body, as it is for a
/// small JSON answer, the response is whole (head, body and end in one write) and the
/// request is settled at once. Otherwise the body streams chunk by chunk
/// (``RelayedBody``).
enum AnswerRelay {
    /// The response for `answer` from the backend at `baseURL`. `settlement` (nil for a
    /// peer) is settled with the answer's status when it completes, as a 502 when it
    /// fails after its head.
    static func response(
        to answer: UpstreamAnswer, baseURL: String, settlement: RequestSettlement?, trace: RequestTrace? = nil
    ) async -> ProxyResponse {
        let status = answer.statusCode
        var relay = ResponseRelay()
        var action = relay.received(status: status, headers: answer.headers)
        var iterator = answer.body.makeAsyncIterator()
        while case .none = action {
            do {
                if let chunk = try await iterator.next() {
                    action = relay.received(chunk: chunk)
                } else {
                    action = relay.receivedEnd()
                }
            } catch {
                action = relay.failed(error)
            }
        }
        switch action {
        case .write(let head?, let chunks, true):
            settlement?.settle(status: status)
            let body = whole(chunks)
            if let trace {
                trace.head(status: status, headers: head.headers.map { ($0.name.canonicalName, $0.value) })
                trace.passed(body.readableBytesView)
                trace.finish(status: status)
            }
            return ProxyResponse(status: head.status, headers: head.headers, body: .whole(body))
        case .write(let head?, let chunks, false):
            trace?.head(status: status, headers: head.headers.map { ($0.name.canonicalName, $0.value) })
            let body = RelayedBody(
                iterator, relay: relay, first: chunks, head: head, status: status, settlement: settlement,
                trace: trace)
            return ProxyResponse(status: head.status, headers: head.headers, body: .stream(body))
        case .failedBeforeHead(let error):
            settlement?.settle(status: nil)
            return OpenAIError.upstreamFailed(error, baseURL: baseURL).response
        case .failedBeforeAnswer(let error):
            settlement?.settle(status: 502)
            return OpenAIError.answerFailed(error, baseURL: baseURL).response
        case .none, .write(nil, _, _), .cutOff:
            preconditionFailure("the relay wrote no head before \(action)")
        }
    }

    private static func whole(_ chunks: [ByteBuffer]) -> ByteBuffer {
        guard var body = chunks.first else { return ByteBuffer() }
        for chunk in chunks.dropFirst() { body.writeImmutableBuffer(chunk) }
        return body
    }
}

/// The rest of an upstream answer's body after the head, streamed to the client chunk
/// by chunk as the backend sends it (no buffering, no coalescing).
///
/// It holds the upstream body, the relay and the request's settlement, nothing of the
/// client's request. `@unchecked Sendable`: it is written once, by one task (the
/// adapter's body writer), after the proxy handed it over.
public final class RelayedBody: @unchecked Sendable {
    private var iterator: UpstreamAnswer.Body.AsyncIterator
    private var relay: ResponseRelay
    private var pending: [ByteBuffer]
    private let status: Int
    private let isEventStream: Bool
    private let settlement: RequestSettlement?
    private let trace: RequestTrace?
    /// The body length the backend declared (nil for an event stream or without one).
    public let contentLength: Int?

    init(
        _ iterator: UpstreamAnswer.Body.AsyncIterator, relay: ResponseRelay, first: [ByteBuffer],
        head: RelayedResponseHead, status: Int, settlement: RequestSettlement?, trace: RequestTrace? = nil
    ) {
        self.trace = trace
        self.iterator = iterator
        self.relay = relay
        self.pending = first
        self.status = status
        self.isEventStream = head.isEventStream
        self.contentLength = head.contentLength
        self.settlement = settlement
    }

    /// Writes the body with `write`, then settles the request. A backend that cuts an
    /// event stream off gets its client ``RelayedResponseHead/midStreamFailureEvent`` and
    /// the end; any other body cut off throws (the client's connection must close). A
    /// `write` that throws (the client went away) ends the upstream exchange; the
    /// request is then counted as a 502.
    public func write(to write: (ByteBuffer) async throws -> Void) async throws {
        do {
            while true {
                for chunk in pending {
                    try await write(chunk)
                    trace?.passed(chunk.readableBytesView)
                }
                pending = []
                switch await nextAction() {
                case .none:
                    continue
                case .write(_, let chunks, let end):
                    pending = chunks
                    if end {
                        for chunk in pending {
                            try await write(chunk)
                            trace?.passed(chunk.readableBytesView)
                        }
                        pending = []
                        settlement?.settle(status: status)
                        trace?.finish(status: status)
                        return
                    }
                case .cutOff:
                    settlement?.settle(status: 502)
                    trace?.finish(status: 502)
                    if isEventStream {
                        try await write(ByteBuffer(string: RelayedResponseHead.midStreamFailureEvent))
                        return
                    }
                    throw UpstreamError.closed
                case .failedBeforeHead, .failedBeforeAnswer:
                    preconditionFailure("the relay failed before a head it had written")
                }
            }
        } catch {
            settlement?.settle(status: 502)
            // The client went away (or the request was cancelled): 499, as nginx counts it.
            trace?.finish(status: 499)
            throw error
        }
    }

    private func nextAction() async -> ResponseRelay.Action {
        do {
            if let chunk = try await iterator.next() { return relay.received(chunk: chunk) }
            return relay.receivedEnd()
        } catch {
            return relay.failed(error)
        }
    }
}
