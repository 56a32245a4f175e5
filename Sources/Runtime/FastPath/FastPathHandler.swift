import NIOCore
import NIOHTTP1

/// What the fast path needs from the server; one for all connections.
struct FastPath: Sendable {
    /// The server's state.
    let core: SwapCore
    /// The upstream connections (the fast path only takes idle ones of its loop).
    let pool: UpstreamConnectionPool
    /// The `Date` header, shared with the Hummingbird path.
    let dates: HTTPDateCache
}

/// The server's fast path for the hot request kind, on each connection's pipeline
/// between NIO's HTTP/1 decoder and Hummingbird: a model-routed `POST` whose model is a
/// local one that is ready and admits the request at once is forwarded and answered
/// here, on the connection's event loop, with no task, async channel or HTTP Types
/// round trip on the way. Every other request, and every request the fast path cannot
/// finish the way Hummingbird would (see ``FastPathRequest``), goes to Hummingbird
/// with its parts unchanged.
///
/// The order of requests on the connection is ``StateMachine``'s; the relay of one
/// answer is ``FastPathExchange``'s. Confined to the connection's event loop.
final class FastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let fastPath: FastPath
    private var machine: StateMachine
    private var exchange: FastPathExchange?
    private var context: ChannelHandlerContext?
    /// A read was asked for while reads were held.
    private var readPending = false
    /// A quiesce event waits until the fast path's request is over.
    private var quiescePending = false
    /// Events were passed on outside a read (they reach Hummingbird at a read's end).
    private var forwardedOutsideRead = false
    private var isClosed = false

    /// Creates the handler of one connection.
    init(fastPath: FastPath) {
        self.fastPath = fastPath
        machine = StateMachine(maxBodyBytes: fastPath.core.maxBodyBytes)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(machine.received(.part(unwrapInboundIn(data))), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        perform(machine.received(.error(error)), context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            perform(machine.received(.inputClosed), context: context)
        } else if event is ChannelShouldQuiesceEvent, machine.defersQuiesce {
            quiescePending = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        isClosed = true
        exchange?.clientClosed()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { exchange?.clientWritable() }
        context.fireChannelWritabilityChanged()
    }

    // MARK: outbound

    func read(context: ChannelHandlerContext) {
        if machine.holdsReads {
            readPending = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { machine.responseEnded() }
        context.write(data, promise: promise)
    }

    // MARK: carrying out

    private func perform(_ action: StateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            return
        case .forward(let events):
            for event in events {
                switch event {
                case .part(let part): context.fireChannelRead(wrapInboundOut(part))
                case .error(let error): context.fireErrorCaught(error)
                case .inputClosed: context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
                }
            }
            forwardedOutsideRead = true
        case .decide(let head, let body):
            if !start(head: head, body: body, context: context) {
                perform(machine.declined(), context: context)
                firePendingQuiesce(context: context)
            }
        }
    }

    /// Serves the complete candidate `head`, `body` if it is one the fast path takes and
    /// its model is ready with an idle upstream connection on this loop; false otherwise
    /// (nothing was changed).
    private func start(head: HTTPRequestHead, body: ByteBuffer?, context: ChannelHandlerContext) -> Bool {
        let core = fastPath.core
        let (plan, keyCheck) = core.planAndKeyCheck
        let scheduler = core.scheduler
        guard
            let request = FastPathRequest.decide(
                head: head, body: body, plan: plan, keyCheck: keyCheck, activeProfile: core.activeProfile,
                readyModels: { Set(scheduler.readyModels()) }),
            let address = core.pool.readyAddressNow(of: request.modelID), let target = address.target,
            let connection = fastPath.pool.idleConnection(host: target.host, port: target.port, on: context.eventLoop)
        else { return false }
        guard let lease = scheduler.admitAtOnce(request.modelID) else {
            connection.handBack()
            return false
        }
        machine.started()
        let exchange = FastPathExchange(
            context: context, connection: connection, lease: lease, core: core, dates: fastPath.dates,
            baseURL: address.baseURL,
            onEnd: { [weak self] outcome in self?.exchangeEnded(outcome) })
        self.exchange = exchange
        exchange.start(
            head: request.upstreamHead(to: target), body: ByteBuffer(bytes: request.body),
            responseHeaderTimeout: request.responseHeaderTimeout)
        return true
    }

    /// The fast path's exchange is over: its request goes to Hummingbird after all, or
    /// what was held is handled now.
    private func exchangeEnded(_ outcome: FastPathExchange.Outcome) {
        exchange = nil
        guard let context, !isClosed else { return }
        forwardedOutsideRead = false
        switch outcome {
        case .fallBack:
            perform(machine.declined(), context: context)
            firePendingQuiesce(context: context)
        case .completed:
            machine.completed()
            firePendingQuiesce(context: context)
            while let event = machine.nextHeld() {
                perform(machine.received(event), context: context)
            }
            firePendingQuiesce(context: context)
        }
        if forwardedOutsideRead {
            forwardedOutsideRead = false
            context.fireChannelReadComplete()
        }
        if readPending, !machine.holdsReads {
            readPending = false
            context.read()
        }
    }

    private func firePendingQuiesce(context: ChannelHandlerContext) {
        guard quiescePending, !machine.defersQuiesce else { return }
        quiescePending = false
        context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
    }
}
