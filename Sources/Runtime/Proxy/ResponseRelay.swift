import NIOCore

/// How swap relays one upstream answer to its client, decided part by part as the
/// parts arrive: a body of known length is read ahead to its first chunk, so that a
/// small answer goes out as head, body and end in one write; everything else streams
/// chunk by chunk; an event stream the backend cuts off ends with an error event, any
/// other body with a closed connection.
///
/// Pure: ``AnswerRelay`` reads the parts, writes and settles the request.
struct ResponseRelay {
    private enum State {
        /// The request went out; no answer yet.
        case awaitingHead
        /// The head arrived and announced a body; `first` is the first chunk when it
        /// held the whole body (the end should follow).
        case readingAhead(RelayedResponseHead, first: ByteBuffer?)
        /// The head went to the client; the body streams.
        case streaming(isEventStream: Bool)
        /// Nothing more happens.
        case done
    }

    /// What the caller does.
    enum Action {
        /// Nothing yet: read on.
        case none
        /// Write the head (when given), these chunks, and the end (when `end`); with
        /// `end`, the request finished successfully.
        case write(head: RelayedResponseHead?, chunks: [ByteBuffer], end: Bool)
        /// The backend failed before its head.
        case failedBeforeHead(any Error)
        /// The backend failed after its head and before anything went to the client:
        /// the client gets a 502 (``OpenAIError/answerFailed(_:baseURL:)``), and the
        /// request finished unsuccessfully.
        case failedBeforeAnswer(any Error)
        /// The body failed after the head went out: an event stream gets
        /// ``RelayedResponseHead/midStreamFailureEvent`` and its end, any other body a
        /// closed connection. The request finished unsuccessfully.
        case cutOff(isEventStream: Bool)
    }

    private var state = State.awaitingHead

    /// Creates the relay of a request that was just sent.
    init() {}

    /// The response head arrived, as its status and headers.
    mutating func received(status: Int, headers: some Sequence<(name: String, value: String)>) -> Action {
        guard case .awaitingHead = state else { return .none }
        let relayed = RelayedResponseHead(status: status, headers: headers)
        if relayed.readsAhead {
            state = .readingAhead(relayed, first: nil)
            return .none
        }
        state = .streaming(isEventStream: relayed.isEventStream)
        return .write(head: relayed, chunks: [], end: false)
    }

    /// A body chunk arrived.
    mutating func received(chunk: ByteBuffer) -> Action {
        switch state {
        case .readingAhead(let head, nil):
            if head.isWholeBody(chunk) {
                state = .readingAhead(head, first: chunk)
                return .none
            }
            state = .streaming(isEventStream: false)
            return .write(head: head, chunks: [chunk], end: false)
        case .readingAhead(let head, let first?):
            state = .streaming(isEventStream: false)
            return .write(head: head, chunks: [first, chunk], end: false)
        case .streaming:
            return .write(head: nil, chunks: [chunk], end: false)
        case .awaitingHead, .done:
            return .none
        }
    }

    /// The response ended.
    mutating func receivedEnd() -> Action {
        switch state {
        case .readingAhead(let head, let first):
            state = .done
            return .write(head: head, chunks: first.map { [$0] } ?? [], end: true)
        case .streaming:
            state = .done
            return .write(head: nil, chunks: [], end: true)
        case .awaitingHead, .done:
            return .none
        }
    }

    /// The exchange failed with `error`.
    mutating func failed(_ error: any Error) -> Action {
        switch state {
        case .awaitingHead:
            state = .done
            return .failedBeforeHead(error)
        case .readingAhead:
            state = .done
            return .failedBeforeAnswer(error)
        case .streaming(let isEventStream):
            state = .done
            return .cutOff(isEventStream: isEventStream)
        case .done:
            return .none
        }
    }
}
