import Testing

@testable import Runtime

/// When the proxy sends a request again after its upstream exchange failed before an
/// answer (decided on the error's kind, without sockets).
struct ForwardRetryTests {
    struct Refused: Error {}

    @Test("a replayable body gets three attempts, with a growing pause between them")
    func replayable() {
        var retry = ForwardRetry(replayable: true)
        #expect(retry.failed(UpstreamError.closed) == .retry(after: .milliseconds(50)))
        #expect(retry.failed(Refused()) == .retry(after: .milliseconds(100)))
        #expect(retry.failed(UpstreamError.closed) == .giveUp)
    }

    @Test("a streamed body is sent once")
    func streamed() {
        var retry = ForwardRetry(replayable: false)
        #expect(retry.failed(UpstreamError.closed) == .giveUp)
    }

    @Test("a backend slow to answer, or a cancelled request, is not asked again")
    func notRetried() {
        var slow = ForwardRetry(replayable: true)
        #expect(slow.failed(UpstreamError.responseHeaderTimeout(seconds: 1)) == .giveUp)
        var cancelled = ForwardRetry(replayable: true)
        #expect(cancelled.failed(CancellationError()) == .giveUp)
    }
}
