import NIOCore
import NIOHTTP1

extension FastPathHandler {
    /// Something that reached the handler from the HTTP/1 decoder, in order.
    enum Inbound {
        /// A request part.
        case part(HTTPServerRequestPart)
        /// An error (a parse error, say) from the pipeline.
        case error(any Error)
        /// The client closed its side of the connection.
        case inputClosed
    }

    /// The order of a connection's requests between the fast path and the Hummingbird
    /// path: which request the fast path takes, what it holds back, and what it passes on.
    ///
    /// HTTP/1.1 answers requests in the order they came. A candidate request (see
    /// ``FastPathRequest/isCandidate(_:maxBodyBytes:)``) that arrives while nothing is
    /// in flight is collected; once it is complete the handler decides whether the fast
    /// path serves it. While it is served, everything that follows is held (and the
    /// socket is not read further once something is), then handled in order. A request the fast path does
    /// not take goes to Hummingbird with its parts unchanged, and so does everything after
    /// it until Hummingbird has answered every request it was given.
    ///
    /// Pure: the handler carries out the actions.
    struct StateMachine {
        private enum Mode {
            /// No request in flight.
            case idle
            /// A candidate's head (and body so far) is being collected.
            case collecting(HTTPRequestHead, ByteBuffer?)
            /// The candidate is complete; the handler is deciding.
            case deciding(HTTPRequestHead, ByteBuffer?)
            /// The fast path serves a request; its parts are kept while it may still be
            /// handed to Hummingbird (until the backend has answered).
            case fast(fallback: (HTTPRequestHead, ByteBuffer?)?)
            /// Hummingbird has `pending` requests it has not finished answering;
            /// `requestOpen`: the last one's end has not come yet.
            case slow(pending: Int, requestOpen: Bool)
        }

        /// What the handler does.
        enum Action {
            /// Nothing (the event was kept).
            case none
            /// Pass these on to Hummingbird, in order.
            case forward([Inbound])
            /// A candidate is complete: decide, then report ``started()`` or
            /// ``declined()``.
            case decide(HTTPRequestHead, ByteBuffer?)
        }

        /// Body bytes at which a candidate goes to Hummingbird instead (which answers 413
        /// above its limit).
        let maxBodyBytes: Int
        private var mode = Mode.idle
        private var held = CircularBuffer<Inbound>()

        /// Creates the machine of a new connection.
        init(maxBodyBytes: Int) {
            self.maxBodyBytes = maxBodyBytes
        }

        /// Whether the fast path serves a request now.
        var isServing: Bool {
            switch mode {
            case .fast, .deciding: true
            default: false
            }
        }

        /// Whether the socket should not be read now: events that came while a request
        /// was served are held. (The socket is read while a request is served and nothing
        /// came after it: holding that read would take it out of the event loop's interest
        /// set and put it back, two `epoll_ctl` calls per request.)
        var holdsReads: Bool {
            !held.isEmpty
        }

        /// Whether a quiesce event (graceful shutdown) waits: the fast path collects or
        /// serves a request, or holds events. Passed on, it would close a connection that
        /// Hummingbird sees as idle.
        var defersQuiesce: Bool {
            switch mode {
            case .collecting, .deciding, .fast: true
            case .idle, .slow: !held.isEmpty
            }
        }

        /// An inbound event arrived (or a held one is handled, see ``nextHeld()``).
        mutating func received(_ event: Inbound) -> Action {
            switch mode {
            case .fast, .deciding:
                held.append(event)
                return .none
            case .idle:
                if case .part(.head(let head)) = event, FastPathRequest.isCandidate(head, maxBodyBytes: maxBodyBytes) {
                    mode = .collecting(head, nil)
                    return .none
                }
                return passOn(event)
            case .collecting(let head, var body):
                mode = .idle  // lets go of `body`'s copy, so that appending does not copy it
                switch event {
                case .part(.body(let chunk)):
                    let total = (body?.readableBytes ?? 0) + chunk.readableBytes
                    guard total < maxBodyBytes else {
                        return handOff(head, body, then: event)
                    }
                    if body == nil {
                        body = chunk
                    } else {
                        var chunk = chunk
                        body!.writeBuffer(&chunk)
                    }
                    mode = .collecting(head, body)
                    return .none
                case .part(.end(nil)):
                    mode = .deciding(head, body)
                    return .decide(head, body)
                default:
                    return handOff(head, body, then: event)
                }
            case .slow:
                return passOn(event)
            }
        }

        /// The fast path serves the request that was being decided.
        mutating func started() {
            guard case .deciding(let head, let body) = mode else { return }
            mode = .fast(fallback: (head, body))
        }

        /// The backend has answered the fast path's request: it can no longer go to
        /// Hummingbird.
        mutating func answered() {
            guard case .fast = mode else { return }
            mode = .fast(fallback: nil)
        }

        /// The request that was being decided, or served and not yet answered, goes to
        /// Hummingbird after all: its parts, then every held event.
        mutating func declined() -> Action {
            let parts: (HTTPRequestHead, ByteBuffer?)
            switch mode {
            case .deciding(let head, let body), .fast(fallback: (let head, let body)?):
                parts = (head, body)
            default:
                return .none
            }
            mode = .slow(pending: 1, requestOpen: false)
            var events = Self.parts(parts.0, parts.1)
            events.append(.part(.end(nil)))
            while let event = held.popFirst() {
                if case .forward(let more) = passOn(event) { events += more }
            }
            return .forward(events)
        }

        /// The fast path's response ended; held events may be handled (``nextHeld()``).
        mutating func completed() {
            guard case .fast = mode else { return }
            mode = .idle
        }

        /// The next held event to hand to ``received(_:)``, unless a request is served.
        mutating func nextHeld() -> Inbound? {
            if isServing { return nil }
            return held.popFirst()
        }

        /// Hummingbird wrote the end of a response.
        mutating func responseEnded() {
            guard case .slow(let pending, let requestOpen) = mode else { return }
            let left = max(pending - 1, 0)
            mode = left == 0 && !requestOpen ? .idle : .slow(pending: left, requestOpen: requestOpen)
        }

        /// Passes `event` to Hummingbird, counting its requests.
        private mutating func passOn(_ event: Inbound) -> Action {
            var (pending, requestOpen) = (0, false)
            if case .slow(let count, let open) = mode { (pending, requestOpen) = (count, open) }
            switch event {
            case .part(.head):
                pending += 1
                requestOpen = true
            case .part(.end):
                requestOpen = false
            default:
                break
            }
            mode = pending == 0 && !requestOpen ? .idle : .slow(pending: pending, requestOpen: requestOpen)
            return .forward([event])
        }

        /// Gives a candidate being collected to Hummingbird, followed by `event`.
        private mutating func handOff(_ head: HTTPRequestHead, _ body: ByteBuffer?, then event: Inbound) -> Action {
            mode = .slow(pending: 1, requestOpen: true)
            var events = Self.parts(head, body)
            if case .forward(let more) = passOn(event) { events += more }
            return .forward(events)
        }

        private static func parts(_ head: HTTPRequestHead, _ body: ByteBuffer?) -> [Inbound] {
            var events: [Inbound] = [.part(.head(head))]
            if let body { events.append(.part(.body(body))) }
            return events
        }
    }
}
