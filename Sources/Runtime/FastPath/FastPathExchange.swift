import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// One request the fast path serves: sent on a pooled upstream connection of the
/// client's event loop, its answer relayed to the client part by part as the
/// connection hands it over (``UpstreamResponseReceiver``), with no task in between.
///
/// Relays by the Hummingbird path's rules (``ResponseRelay``) and settles the request
/// like that path: the scheduler's lease is released once, and a request that got an
/// answer is counted in ``RequestCounters`` (a 502 when the answer did not complete).
///
/// Confined to the event loop of the client's connection, which is the upstream
/// connection's.
final class FastPathExchange: UpstreamResponseReceiver {
    /// How an exchange ended, for ``FastPathHandler``.
    enum Outcome {
        /// The response was written (or the client is gone).
        case completed
        /// The request goes to the Hummingbird path instead.
        case fallBack
    }

    private var relay = ResponseRelay()
    private let context: ChannelHandlerContext
    private let connection: UpstreamConnection
    private let lease: SchedulerLease
    private let scheduler: ModelScheduler
    private let counters: RequestCounters
    private let dates: HTTPDateCache
    private let baseURL: String
    private let executor: EventLoopTaskExecutor
    private let onEnd: (Outcome) -> Void
    private var timer: Scheduled<Void>?
    private var status = 0

    /// Prepares the exchange of a request admitted under `lease`, answered on
    /// `connection` and relayed to the client through `context` (the fast-path handler's).
    /// `onEnd` runs once, when the exchange is over. The request counts as in flight on
    /// the loop (``EventLoopTaskExecutor/requestStarted()``) from ``start(head:body:responseHeaderTimeout:)``
    /// to then.
    init(
        context: ChannelHandlerContext, connection: UpstreamConnection, lease: SchedulerLease, core: SwapCore,
        dates: HTTPDateCache, baseURL: String, onEnd: @escaping (Outcome) -> Void
    ) {
        self.context = context
        self.connection = connection
        self.lease = lease
        self.scheduler = core.scheduler
        self.counters = core.requests
        self.dates = dates
        self.baseURL = baseURL
        self.executor = EventLoopTaskExecutor.shared(for: context.eventLoop)
        self.onEnd = onEnd
    }

    /// Sends the request.
    func start(head: HTTPRequestHead, body: ByteBuffer, responseHeaderTimeout: Int) {
        executor.requestStarted()
        timer = connection.begin(self, head: head, body: body, responseHeaderTimeout: responseHeaderTimeout)
    }

    /// The client's connection closed: the upstream exchange is given up (its connection
    /// closed unless the answer had fully arrived).
    func clientClosed() {
        perform(relay.clientClosed())
    }

    /// Whether the body is streaming to a client that cannot take more now; the
    /// upstream connection then holds its reads until ``clientWritable()``.
    func shouldRead() -> Bool {
        !relay.isStreaming || context.channel.isWritable
    }

    /// The client's connection can take more again.
    func clientWritable() {
        if relay.isStreaming { connection.readAgain() }
    }

    // MARK: from the upstream connection

    func received(head: HTTPResponseHead) {
        timer?.cancel()
        timer = nil
        status = Int(head.status.code)
        perform(relay.received(head: head))
    }

    func received(chunk: ByteBuffer) {
        perform(relay.received(chunk: chunk))
    }

    func receivedEnd() {
        perform(relay.receivedEnd())
    }

    func failed(_ error: any Error) {
        timer?.cancel()
        timer = nil
        perform(relay.failed(error))
    }

    // MARK: carrying out

    /// The answer to a request whose backend failed before its head: the Hummingbird
    /// path's 504 for a response-head timeout; nil for any other failure, after which that
    /// path takes the request (and retries it on a new connection, as it would have).
    static func answer(toFailureBeforeHead error: any Error, baseURL: String) -> OpenAIError? {
        guard case UpstreamError.responseHeaderTimeout = error else { return nil }
        return OpenAIError.upstreamFailed(error, baseURL: baseURL)
    }

    private func perform(_ action: ResponseRelay.Action) {
        switch action {
        case .none:
            return
        case .failedBeforeHead(let error):
            if let answer = Self.answer(toFailureBeforeHead: error, baseURL: baseURL) {
                write(answer)
                settle(finished: false, completed: false)
                finish(.completed)
            } else {
                scheduler.release(lease)
                finish(.fallBack)
            }
        case .failedBeforeAnswer(let error):
            write(OpenAIError.answerFailed(error, baseURL: baseURL))
            settle(finished: true, completed: false)
            finish(.completed)
        case .write(let head, let chunks, let end):
            if let head { write(.head(head.head(date: dates.current))) }
            for chunk in chunks { write(.body(.byteBuffer(chunk))) }
            if end { write(.end(nil)) }
            context.flush()
            if end {
                settle(finished: true, completed: true)
                finish(.completed)
            }
        case .cutOff(let isEventStream):
            if isEventStream {
                write(.body(.byteBuffer(ByteBuffer(string: RelayedResponseHead.midStreamFailureEvent))))
                write(.end(nil))
                context.flush()
            } else {
                context.close(promise: nil)
            }
            settle(finished: true, completed: false)
            finish(.completed)
        case .abandon(let finished):
            timer?.cancel()
            timer = nil
            connection.abandon(receiver: self)
            settle(finished: finished, completed: false)
            finish(.completed)
        }
    }

    private func finish(_ outcome: Outcome) {
        executor.requestEnded()
        onEnd(outcome)
    }

    /// Releases the lease; a finished request is counted with its status (502 when
    /// it did not complete).
    private func settle(finished: Bool, completed: Bool) {
        counters.recordFastPath()
        if finished { counters.record(model: lease.model, status: completed ? status : 502) }
        scheduler.release(lease)
    }

    private func write(_ error: OpenAIError) {
        let (response, body) = error.responseAndBody()
        write(.head(HTTPResponseHead(response.head(date: dates.current))))
        write(.body(.byteBuffer(body)))
        write(.end(nil))
        context.flush()
    }

    private func write(_ part: HTTPServerResponsePart) {
        context.write(NIOAny(part), promise: nil)
    }
}
