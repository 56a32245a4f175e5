import NIOCore
import Synchronization

/// The frames waiting for one `/api/events` client.
///
/// The client's writer takes everything waiting at once (``next()``), so the frames one
/// request causes (its in-flight changes, its record, its model's new state) leave in one
/// socket write rather than one each. Hand-written because `AsyncStream` hands over one
/// element at a time.
final class EventMailbox: Sendable {
    /// What became of a posted frame.
    enum Posted: Equatable {
        case accepted
        /// ``capacity`` frames already wait: the client has stopped reading.
        case full
        /// The mailbox is closed.
        case closed
    }

    private struct State {
        var frames = ByteBuffer()
        var count = 0
        var closed = false
        var reader: CheckedContinuation<ByteBuffer?, Never>?
    }

    private let state = Mutex(State())
    /// The most frames that may wait.
    let capacity: Int

    /// An empty mailbox holding at most `capacity` frames.
    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds `frame` for the reader.
    @discardableResult
    func post(_ frame: ByteBuffer) -> Posted {
        var frame = frame
        let (posted, reader) = state.withLock { state -> (Posted, CheckedContinuation<ByteBuffer?, Never>?) in
            guard !state.closed else { return (.closed, nil) }
            if let reader = state.reader {
                // A waiting reader means nothing is pending: the frame goes straight to it.
                state.reader = nil
                return (.accepted, reader)
            }
            guard state.count < capacity else { return (.full, nil) }
            state.frames.writeBuffer(&frame)
            state.count += 1
            return (.accepted, nil)
        }
        reader?.resume(returning: frame)
        return posted
    }

    /// Takes no more frames; the reader still gets those waiting, then nil.
    func close() {
        let reader = state.withLock { state -> CheckedContinuation<ByteBuffer?, Never>? in
            state.closed = true
            defer { state.reader = nil }
            return state.reader
        }
        reader?.resume(returning: nil)
    }

    /// Every frame waiting, as one buffer, waiting for one when none is; nil once the
    /// mailbox is closed and empty, or the calling task is cancelled (which closes it).
    /// One reader at a time.
    func next() async -> ByteBuffer? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> ByteBuffer?? in
                    if state.count > 0 {
                        defer {
                            state.frames = ByteBuffer()
                            state.count = 0
                        }
                        return .some(state.frames)
                    }
                    if state.closed { return .some(nil) }
                    state.reader = continuation
                    return .none
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }
}
