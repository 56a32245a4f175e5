import NIOCore
import Testing

@testable import Runtime

@Suite("/api/events mailbox")
struct EventMailboxTests {
    @Test("frames waiting are handed over together, in order, as one buffer")
    func batches() async {
        let mailbox = EventMailbox(capacity: 8)
        #expect(mailbox.post(ByteBuffer(string: "a\n")) == .accepted)
        #expect(mailbox.post(ByteBuffer(string: "b\n")) == .accepted)
        #expect(mailbox.post(ByteBuffer(string: "c\n")) == .accepted)
        #expect(await mailbox.next().map { String(buffer: $0) } == "a\nb\nc\n")
        #expect(mailbox.post(ByteBuffer(string: "d\n")) == .accepted)
        #expect(await mailbox.next().map { String(buffer: $0) } == "d\n")
    }

    @Test("a full mailbox refuses the next frame; the ones waiting are still delivered")
    func full() async {
        let mailbox = EventMailbox(capacity: 2)
        #expect(mailbox.post(ByteBuffer(string: "1")) == .accepted)
        #expect(mailbox.post(ByteBuffer(string: "2")) == .accepted)
        #expect(mailbox.post(ByteBuffer(string: "3")) == .full)
        mailbox.close()
        #expect(mailbox.post(ByteBuffer(string: "4")) == .closed)
        #expect(await mailbox.next().map { String(buffer: $0) } == "12")
        #expect(await mailbox.next() == nil)
    }

    @Test("a waiting reader gets the next frame, or nil when the mailbox closes")
    func waitingReader() async {
        let mailbox = EventMailbox(capacity: 4)
        let reader = Task { await mailbox.next().map { String(buffer: $0) } }
        // Posted before or after the reader waits, the frame reaches it either way.
        mailbox.post(ByteBuffer(string: "hello"))
        #expect(await reader.value == "hello")

        let second = Task { await mailbox.next() }
        mailbox.close()
        #expect(await second.value == nil)
    }

    @Test("cancelling the reader ends its wait and closes the mailbox")
    func cancelled() async {
        let mailbox = EventMailbox(capacity: 4)
        let reader = Task { await mailbox.next() }
        reader.cancel()
        #expect(await reader.value == nil)
        #expect(mailbox.post(ByteBuffer(string: "late")) == .closed)
    }
}
