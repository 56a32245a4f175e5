import NIOCore
import NIOHTTP1
import Testing

@testable import Runtime

/// One upstream exchange's decisions, driven by hand: parts that arrive before or
/// after the reader asks, backpressure, failures at each stage, and abandoning.
struct UpstreamExchangeStateMachineTests {
    typealias Machine = UpstreamExchange.StateMachine

    static let head = HTTPResponseHead(version: .http1_1, status: .ok)

    static func chunk(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func delivered(_ action: Machine.ReadAction) -> (String, Bool)? {
        if case .deliver(let chunk, let readAgain) = action { return (String(buffer: chunk), readAgain) }
        return nil
    }

    static func isEnd(_ action: Machine.ReadAction) -> Bool {
        if case .end = action { return true }
        return false
    }

    static func isFail(_ action: Machine.ReadAction) -> Bool {
        if case .fail = action { return true }
        return false
    }

    static func isWait(_ action: Machine.ReadAction, readAgain: Bool) -> Bool {
        if case .wait(let again) = action { return again == readAgain }
        return false
    }

    /// A machine whose head the reader has taken, with `chunks` received after it.
    static func streaming(_ chunks: String..., from start: Machine = Machine()) -> Machine {
        var machine = start
        _ = machine.received(head: head)
        _ = machine.awaitHead()
        for text in chunks { _ = machine.received(chunk: chunk(text)) }
        return machine
    }

    @Test("a whole small answer that arrived before anyone asked is handed over without waiting")
    func arrivedFirst() {
        var machine = Machine()
        #expect(machine.received(head: Self.head) == .none)
        guard case .deliver(let head) = machine.awaitHead() else {
            Issue.record("head not delivered")
            return
        }
        #expect(head.status == .ok)
        #expect(machine.received(chunk: Self.chunk("{}")) == .none)
        #expect(machine.receivedEnd() == .none)
        #expect(machine.isComplete)
        #expect(machine.hasBufferedPart)
        #expect(Self.delivered(machine.next())?.0 == "{}")
        #expect(Self.isEnd(machine.next()))
        let closes = machine.abandon()
        #expect(!closes)
    }

    @Test("a whole answer that arrived before the head was asked for keeps its body and end")
    func bodyBeforeHeadTaken() {
        var machine = Machine()
        #expect(machine.received(head: Self.head) == .none)
        #expect(machine.received(chunk: Self.chunk("{\"ok\":")) == .none)
        #expect(machine.received(chunk: Self.chunk("true}")) == .none)
        #expect(machine.receivedEnd() == .none)
        #expect(machine.isComplete)
        guard case .deliver = machine.awaitHead() else {
            Issue.record("head not delivered")
            return
        }
        #expect(Self.delivered(machine.next())?.0 == "{\"ok\":")
        #expect(Self.delivered(machine.next())?.0 == "true}")
        #expect(Self.isEnd(machine.next()))
    }

    @Test("a failure after the head arrived but before it was taken comes after the chunks")
    func failureBeforeHeadTaken() {
        var machine = Machine()
        _ = machine.received(head: Self.head)
        _ = machine.received(chunk: Self.chunk("data: 1\n\n"))
        guard case .none = machine.failed(UpstreamError.closed) else {
            Issue.record("nobody waits")
            return
        }
        guard case .deliver = machine.awaitHead() else {
            Issue.record("head not delivered")
            return
        }
        #expect(Self.delivered(machine.next())?.0 == "data: 1\n\n")
        guard case .fail = machine.next() else {
            Issue.record("error not thrown after the chunk")
            return
        }
    }

    @Test("parts that arrive while the reader waits resume it one by one")
    func readerWaits() {
        var machine = Machine()
        guard case .wait = machine.awaitHead() else {
            Issue.record("expected to wait for the head")
            return
        }
        #expect(machine.received(head: Self.head) == .resumeHead)
        guard case .wait(readAgain: false) = machine.next() else {
            Issue.record("expected to wait for a chunk")
            return
        }
        #expect(machine.received(chunk: Self.chunk("a")) == .resumeBody)
        #expect(!machine.hasBufferedPart)
        guard case .wait = machine.next() else {
            Issue.record("expected to wait again")
            return
        }
        #expect(machine.receivedEnd() == .resumeEnd)
        #expect(machine.isComplete)
        #expect(Self.isEnd(machine.next()))
    }

    @Test("chunks are handed over in order, never merged")
    func order() {
        var machine = Self.streaming("data: 1\n\n", "data: 2\n\n", "data: 3\n\n")
        #expect(Self.delivered(machine.next())?.0 == "data: 1\n\n")
        #expect(Self.delivered(machine.next())?.0 == "data: 2\n\n")
        #expect(Self.delivered(machine.next())?.0 == "data: 3\n\n")
    }

    @Test("a connection failing before the head fails the waiting reader, or the next one")
    func failureBeforeHead() {
        var waiting = Machine()
        _ = waiting.awaitHead()
        guard case .failHead = waiting.failed(UpstreamError.closed) else {
            Issue.record("waiting head reader not failed")
            return
        }
        var early = Machine()
        guard case .none = early.failed(UpstreamError.closed) else {
            Issue.record("nobody waits yet")
            return
        }
        guard case .fail = early.awaitHead() else {
            Issue.record("the kept error is not thrown")
            return
        }
    }

    @Test("a failure mid-body reaches the reader after the chunks that came before it")
    func failureMidBody() {
        var machine = Self.streaming("a")
        guard case .none = machine.failed(UpstreamError.closed) else {
            Issue.record("nobody waits")
            return
        }
        #expect(Self.delivered(machine.next())?.0 == "a")
        #expect(Self.isFail(machine.next()), "error thrown after the buffered chunk")
        #expect(!machine.isComplete)
    }

    @Test("a close after the whole body arrived is no failure")
    func closeAfterEnd() {
        var machine = Self.streaming("a")
        _ = machine.receivedEnd()
        guard case .none = machine.failed(UpstreamError.closed) else {
            Issue.record("unexpected failure action")
            return
        }
        #expect(Self.delivered(machine.next())?.0 == "a")
        #expect(Self.isEnd(machine.next()))
    }

    @Test("reading pauses at the high-water mark and resumes under the low-water mark")
    func backpressure() {
        var machine = Self.streaming(from: Machine(highWater: 10, lowWater: 5))
        let readsAtFirst = machine.shouldRead()
        #expect(readsAtFirst)
        _ = machine.received(chunk: Self.chunk("123456"))
        let readsUnderHigh = machine.shouldRead()
        #expect(readsUnderHigh)
        _ = machine.received(chunk: Self.chunk("123456"))
        let readsOverHigh = machine.shouldRead()
        #expect(!readsOverHigh)
        // 12 buffered → 6 after one read: still above the low mark.
        #expect(Self.delivered(machine.next())?.1 == false)
        // 6 → 0: under the low mark, the paused connection reads again.
        #expect(Self.delivered(machine.next())?.1 == true)
        let readsUnderLow = machine.shouldRead()
        #expect(readsUnderLow)
    }

    @Test("a paused connection reads again when the reader finds the buffer empty")
    func backpressureEmptyBuffer() {
        var machine = Self.streaming("12345", from: Machine(highWater: 4, lowWater: 0))
        let readsOverHigh = machine.shouldRead()
        #expect(!readsOverHigh)
        #expect(Self.delivered(machine.next())?.1 == false)
        #expect(Self.isWait(machine.next(), readAgain: true), "a waiting reader must let the connection read")
    }

    @Test("abandoning an unfinished response asks for the connection to be closed")
    func abandon() {
        var unfinished = Self.streaming("a")
        let closesUnfinished = unfinished.abandon()
        #expect(closesUnfinished)

        var finished = Self.streaming()
        _ = finished.receivedEnd()
        let closesFinished = finished.abandon()
        #expect(!closesFinished)
    }
}
