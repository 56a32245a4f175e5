import NIOCore
import NIOHTTP1

extension FastPathExchange {
    /// How the fast path relays one upstream answer, part by part, with the rules of the
    /// Hummingbird path (``ProxyForwarder/response(from:finished:onChunk:)``): a body of
    /// known length is read ahead to its first chunk so that a small answer goes out in
    /// one write; everything else streams; an event stream the backend cuts off ends with
    /// an error event, any other body with a closed connection.
    ///
    /// Pure: ``FastPathExchange`` writes to the client and settles the lease.
    struct StateMachine {
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

        /// What the exchange does.
        enum Action {
            /// Nothing yet.
            case none
            /// The backend failed before answering: the request goes to the Hummingbird
            /// path (which retries it, or answers with its error). The lease is released.
            case fallBack
            /// Answer with this error. With `finished`, the request counts as finished
            /// (a 502 for the metrics); else only the lease is released.
            case fail(OpenAIError, finished: Bool)
            /// Write the head (when given), these chunks, and the end (when `end`); the
            /// request finished successfully when `end`.
            case write(head: RelayedResponseHead?, chunks: [ByteBuffer], end: Bool)
            /// The body failed after the head went out: an event stream gets the failure
            /// event and its end, any other body a closed connection. The request
            /// finished unsuccessfully.
            case cutOff(isEventStream: Bool)
            /// The client went away: give the exchange up. With `finished`, the request
            /// counts as finished unsuccessfully; else only the lease is released.
            case abandon(finished: Bool)
        }

        private var state = State.awaitingHead

        /// Creates the machine of a request that was just sent.
        init() {}

        /// Whether the exchange is over.
        var isDone: Bool {
            if case .done = state { return true }
            return false
        }

        /// Whether the relayed body streams to the client now (backpressure applies).
        var isStreaming: Bool {
            if case .streaming = state { return true }
            return false
        }

        /// The response head arrived.
        mutating func received(head: HTTPResponseHead) -> Action {
            guard case .awaitingHead = state else { return .none }
            let relayed = RelayedResponseHead(status: head.status, headers: head.headers)
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

        /// The exchange failed with `error`; `baseURL` names the backend in messages.
        mutating func failed(_ error: any Error, baseURL: String) -> Action {
            switch state {
            case .awaitingHead:
                state = .done
                if case UpstreamError.responseHeaderTimeout = error {
                    return .fail(OpenAIError.upstreamFailed(error, baseURL: baseURL), finished: false)
                }
                return .fallBack
            case .readingAhead:
                state = .done
                return .fail(OpenAIError.answerFailed(error, baseURL: baseURL), finished: true)
            case .streaming(let isEventStream):
                state = .done
                return .cutOff(isEventStream: isEventStream)
            case .done:
                return .none
            }
        }

        /// The client's connection closed.
        mutating func clientClosed() -> Action {
            switch state {
            case .awaitingHead:
                state = .done
                return .abandon(finished: false)
            case .readingAhead, .streaming:
                state = .done
                return .abandon(finished: true)
            case .done:
                return .none
            }
        }
    }
}
