import HTTPTypes
import NIOHTTPTypes
import HummingbirdCore
import NIOCore

/// Closes a connection that stalls past its ``ConnectionDeadline``: a slow or silent
/// request head, a body that stops arriving, an idle keep-alive connection, or a
/// client that stops reading its answer. Sits after the HTTP codec, so it sees parts.
final class ConnectionTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var state: ConnectionDeadline
    private var timer: Scheduled<Void>?
    private var armedFor: ContinuousClock.Instant?

    /// A handler for a new connection under `limits`.
    init(limits: ConnectionLimits) {
        state = ConnectionDeadline(limits: limits, now: .now)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        rearm(context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        state.read(Self.kind(of: unwrapInboundIn(data)), now: .now)
        rearm(context)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        state.wrote(Self.kind(of: unwrapOutboundIn(data)), now: .now)
        rearm(context)
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        state.writabilityChanged(context.channel.isWritable, now: .now)
        rearm(context)
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    /// Keeps one timer at the state's deadline.
    private func rearm(_ context: ChannelHandlerContext) {
        guard state.deadline != armedFor else { return }
        timer?.cancel()
        timer = nil
        armedFor = state.deadline
        guard let deadline = state.deadline else { return }
        let delay = ContinuousClock.now.duration(to: deadline)
        let nanoseconds = max(
            0, delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(nanoseconds)) {
            self.timer = nil
            self.armedFor = nil
            if self.state.expired(now: .now) {
                context.close(promise: nil)
            } else {
                self.rearm(context)
            }
        }
    }

    private static func kind(of part: HTTPRequestPart) -> ConnectionDeadline.Part {
        switch part {
        case .head: .head
        case .body: .body
        case .end: .end
        }
    }

    private static func kind(of part: HTTPResponsePart) -> ConnectionDeadline.Part {
        switch part {
        case .head: .head
        case .body: .body
        case .end: .end
        }
    }
}
