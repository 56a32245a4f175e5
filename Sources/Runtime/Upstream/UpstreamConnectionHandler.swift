import NIOCore
import NIOHTTP1

/// The last handler of an upstream connection's pipeline: hands the response's parts to
/// the current ``UpstreamExchange``, holds reads back while the
/// receiver wants no more (backpressure), and reports when the connection can carry the
/// next request.
///
/// Confined to the connection's event loop.
final class UpstreamConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private var context: ChannelHandlerContext?
    private var exchange: (UpstreamExchange)?
    private var readHeld = false
    private var requestEnded = false
    private var responseEnded = false
    private var keepAlive = true
    /// Called on the loop when an exchange completed and the connection may be reused.
    var onReusable: (() -> Void)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Starts `exchange`: writes `head`, `body` and the end in one flush.
    func begin(_ exchange: UpstreamExchange, head: HTTPRequestHead, body: ByteBuffer?, ended: Bool) {
        guard let context, context.channel.isActive, self.exchange == nil else {
            exchange.failed(UpstreamError.closed)
            return
        }
        self.exchange = exchange
        requestEnded = false
        responseEnded = false
        keepAlive = head.isKeepAlive
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        if ended { writeEnd(context: context) } else { context.flush() }
    }

    /// Writes one chunk of a streamed request body.
    func write(chunk: ByteBuffer, promise: EventLoopPromise<Void>?) {
        guard let context else {
            promise?.fail(UpstreamError.closed)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: promise)
    }

    /// Ends a streamed request body.
    func endRequest() {
        guard let context else { return }
        writeEnd(context: context)
    }

    private func writeEnd(context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        promise.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success:
                self.requestEnded = true
                self.completeIfDone()
            case .failure(let error):
                self.fail(error)
            }
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: promise)
    }

    /// Closes the connection if it still carries `exchange`.
    func abandon(_ exchange: UpstreamExchange, because error: any Error = UpstreamError.closed) {
        guard self.exchange === exchange else { return }
        fail(error)
    }

    /// Lets a paused connection read again.
    func readAgain() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            keepAlive = keepAlive && head.isKeepAlive
            exchange.received(head: head)
        case .body(let chunk):
            exchange.received(chunk: chunk)
        case .end:
            // The connection goes back to the pool before the reader learns of the end,
            // so that the reader's next request can take it.
            responseEnded = true
            completeIfDone()
            exchange.receivedEnd()
        }
    }

    func read(context: ChannelHandlerContext) {
        if let exchange, !exchange.shouldRead() {
            readHeld = true
            return
        }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(UpstreamError.closed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        let exchange = self.exchange
        self.exchange = nil
        exchange?.failed(error)
        context?.close(promise: nil)
    }

    /// Both directions are done: keep the connection for the next exchange, or close it.
    private func completeIfDone() {
        guard requestEnded, responseEnded, exchange != nil else { return }
        exchange = nil
        if keepAlive {
            // An idle connection reads, so that a backend closing it is noticed.
            readAgain()
            onReusable?()
        } else {
            context?.close(promise: nil)
        }
    }
}
