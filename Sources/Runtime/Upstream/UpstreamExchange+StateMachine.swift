import NIOCore
import NIOHTTP1

extension UpstreamExchange {
    /// The decisions of one request/response exchange, as the response's parts arrive from
    /// the connection and the proxy reads them: what to hand over, what to keep, when to
    /// stop reading the socket (backpressure) and when to give the connection up.
    ///
    /// Pure: it holds no continuations and does no I/O. ``UpstreamExchange`` keeps the
    /// waiting continuations and carries out the actions returned here.
    struct StateMachine {
        /// Buffered body bytes at which the connection stops reading.
        let highWater: Int
        /// Buffered body bytes under which a paused connection reads again.
        let lowWater: Int

        private enum State {
            /// No head yet; `waiting` when the proxy awaits it.
            case head(waiting: Bool)
            /// The head arrived before anyone asked for it; body parts that follow it are
            /// kept until it is taken.
            case headReady(HTTPResponseHead, Body)
            /// The head was handed over; body parts flow.
            case body(Body)
            /// The body ended and every part was handed over.
            case finished
            /// The exchange failed; the error is thrown to the next reader.
            case failed(any Error)
            /// The error was thrown; nothing more happens.
            case done
        }

        private struct Body {
            var buffer = CircularBuffer<ByteBuffer>()
            var bufferedBytes = 0
            var ended = false
            /// The connection failed after these chunks; thrown once they are read.
            var failure: (any Error)?
            var waiting = false
            var readPaused = false

            mutating func keep(_ chunk: ByteBuffer) {
                buffer.append(chunk)
                bufferedBytes += chunk.readableBytes
            }
        }

        private var state = State.head(waiting: false)

        /// Creates the machine with the given backpressure marks (`lowWater <= highWater`).
        init(highWater: Int = 256 * 1024, lowWater: Int = 64 * 1024) {
            self.highWater = highWater
            self.lowWater = lowWater
        }

        /// What the proxy awaiting the head gets.
        enum HeadAction {
            /// Return this head.
            case deliver(HTTPResponseHead)
            /// Throw this error.
            case fail(any Error)
            /// Suspend until ``received(head:)`` or ``failed(_:)`` resumes it.
            case wait
        }

        /// The proxy asks for the response head.
        mutating func awaitHead() -> HeadAction {
            switch state {
            case .head(waiting: false):
                state = .head(waiting: true)
                return .wait
            case .headReady(let head, let body):
                state = .body(body)
                return .deliver(head)
            case .failed(let error):
                state = .done
                return .fail(error)
            case .head(waiting: true), .body, .finished, .done:
                preconditionFailure("the response head was asked for twice")
            }
        }

        /// What to do with a part that arrived from the connection.
        enum DeliveryAction: Equatable {
            /// Resume the waiting head reader with the head.
            case resumeHead
            /// Resume the waiting body reader with this chunk.
            case resumeBody
            /// Resume the waiting body reader with the end of the body.
            case resumeEnd
            /// Nobody waits: the part is kept.
            case none
        }

        /// The response head arrived.
        mutating func received(head: HTTPResponseHead) -> DeliveryAction {
            switch state {
            case .head(waiting: true):
                state = .body(Body())
                return .resumeHead
            case .head(waiting: false):
                state = .headReady(head, Body())
                return .none
            case .failed, .done:
                return .none
            case .headReady, .body, .finished:
                preconditionFailure("a second response head in one exchange")
            }
        }

        /// A body chunk arrived. With `.resumeBody` the caller hands `chunk` to the
        /// waiting reader; otherwise the machine keeps it.
        mutating func received(chunk: ByteBuffer) -> DeliveryAction {
            switch state {
            case .headReady(let head, var body):
                guard body.failure == nil, !body.ended else { return .none }
                state = .done  // see `next()`: the buffer is then changed in place
                body.keep(chunk)
                state = .headReady(head, body)
                return .none
            case .body(var body):
                guard body.failure == nil, !body.ended else { return .none }
                if body.waiting {
                    body.waiting = false
                    state = .body(body)
                    return .resumeBody
                }
                state = .done  // see `next()`: the buffer is then changed in place
                body.keep(chunk)
                state = .body(body)
                return .none
            case .head, .finished, .failed, .done:
                return .none
            }
        }

        /// The body ended.
        mutating func receivedEnd() -> DeliveryAction {
            switch state {
            case .headReady(let head, var body):
                guard body.failure == nil else { return .none }
                body.ended = true
                state = .headReady(head, body)
                return .none
            case .body(var body):
                guard body.failure == nil else { return .none }
                if body.waiting {
                    state = .finished
                    return .resumeEnd
                }
                body.ended = true
                state = .body(body)
                return .none
            case .head, .finished, .failed, .done:
                return .none
            }
        }

        /// Which reader to resume with a failure.
        enum FailureAction {
            /// Resume the waiting head reader with the error.
            case failHead
            /// Resume the waiting body reader with the error.
            case failBody
            /// Nobody waits; the error is kept for the next read (or dropped when the
            /// exchange already completed).
            case none
        }

        /// The connection failed or closed.
        mutating func failed(_ error: any Error) -> FailureAction {
            switch state {
            case .head(waiting: true):
                state = .done
                return .failHead
            case .head(waiting: false):
                state = .failed(error)
                return .none
            case .headReady(let head, var body):
                // The head is still handed over; the error follows the chunks that came.
                if body.ended || body.failure != nil { return .none }
                body.failure = error
                state = .headReady(head, body)
                return .none
            case .body(var body):
                if body.waiting {
                    state = .done
                    return .failBody
                }
                if body.ended || body.failure != nil { return .none }
                body.failure = error
                state = .body(body)
                return .none
            case .finished, .failed, .done:
                return .none
            }
        }

        /// Whether the connection may read more now; when not, the read is held and
        /// a later ``next()`` returns `readAgain`.
        mutating func shouldRead() -> Bool {
            switch state {
            case .headReady(let head, var body) where body.bufferedBytes >= highWater:
                body.readPaused = true
                state = .headReady(head, body)
                return false
            case .body(var body) where body.bufferedBytes >= highWater:
                body.readPaused = true
                state = .body(body)
                return false
            default:
                return true
            }
        }

        /// What the body reader gets.
        enum ReadAction {
            /// Return this chunk; with `readAgain`, let the paused connection read.
            case deliver(ByteBuffer, readAgain: Bool)
            /// The body ended.
            case end
            /// Throw this error.
            case fail(any Error)
            /// Suspend until a part arrives; with `readAgain`, let the paused connection read.
            case wait(readAgain: Bool)
        }

        /// The proxy asks for the next body chunk.
        mutating func next() -> ReadAction {
            switch state {
            case .body(var body):
                // The state lets go of its copy first, so that `body` holds the only
                // reference to its buffer and taking a chunk does not copy the buffer.
                // Every branch below sets the state again.
                state = .done
                if let chunk = body.buffer.popFirst() {
                    body.bufferedBytes -= chunk.readableBytes
                    let readAgain = body.readPaused && body.bufferedBytes < lowWater
                    if readAgain { body.readPaused = false }
                    state = .body(body)
                    return .deliver(chunk, readAgain: readAgain)
                }
                if body.ended {
                    state = .finished
                    return .end
                }
                if let failure = body.failure {
                    state = .done
                    return .fail(failure)
                }
                let readAgain = body.readPaused
                body.readPaused = false
                body.waiting = true
                state = .body(body)
                return .wait(readAgain: readAgain)
            case .finished:
                return .end
            case .failed(let error):
                state = .done
                return .fail(error)
            case .done:
                return .fail(UpstreamError.closed)
            case .head, .headReady:
                preconditionFailure("the body was read before the head")
            }
        }

        /// Whether ``next()`` would answer without waiting.
        var hasBufferedPart: Bool {
            switch state {
            case .body(let body): !body.buffer.isEmpty || body.ended || body.failure != nil
            case .finished, .failed, .done: true
            case .head, .headReady: false
            }
        }

        /// Whether the response arrived whole (the connection may then be reused).
        var isComplete: Bool {
            switch state {
            case .finished: true
            case .body(let body), .headReady(_, let body): body.ended
            default: false
            }
        }

        /// The proxy stops reading before the end. Returns whether the connection must
        /// be closed (the response had not fully arrived).
        mutating func abandon() -> Bool {
            let complete = isComplete
            state = .done
            return !complete
        }
    }
}
