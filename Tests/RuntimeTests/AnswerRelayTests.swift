import AsyncHTTPClient
import HTTPTypes
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

@testable import Runtime

/// How an upstream answer becomes the client's response, without sockets: a small
/// fixed-length answer is whole, everything else streams chunk by chunk, and the request
/// is settled (lease released, status counted) once, when the answer is over.
struct AnswerRelayTests {
    /// A request admitted for model `a` of a scheduler over a backend that is ready at
    /// once, with the counters its settlement records into.
    struct Admitted {
        let scheduler: ModelScheduler
        let counters = RequestCounters()
        let settlement: RequestSettlement

        static func make() async throws -> Admitted {
            let scheduler = ModelScheduler(
                plan: try SchedulerActorTests.twoModels(), backends: FakeBackendControl(instant: ["a"]))
            let lease = try await scheduler.acquire(model: "a")
            return Admitted(scheduler: scheduler, lease: lease)
        }

        private init(scheduler: ModelScheduler, lease: SchedulerLease) {
            self.scheduler = scheduler
            settlement = RequestSettlement(lease: lease, scheduler: scheduler, counters: counters)
        }

        /// Requests of `a` still in flight.
        var inFlight: Int { scheduler.snapshot()["a"]?.inFlight ?? 0 }

        /// Finished requests of `a` by status.
        var counted: [Int: Int] { counters.snapshot["a"] ?? [:] }
    }

    static func upstream(headers: HTTPHeaders, chunks: [String], failure: (any Error)? = nil) -> UpstreamAnswer {
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
        continuation.finish(throwing: failure)
        return .client(HTTPClientResponse(status: .ok, headers: headers, body: .stream(stream)))
    }

    /// The chunks a streamed body writes.
    static func written(_ body: RelayedBody) async throws -> [String] {
        let chunks = Mutex<[String]>([])
        try await body.write { chunk in chunks.withLock { $0.append(String(buffer: chunk)) } }
        return chunks.withLock { $0 }
    }

    static func relay(_ answer: UpstreamAnswer, _ admitted: Admitted) async -> ProxyResponse {
        await AnswerRelay.response(to: answer, baseURL: "http://backend", settlement: admitted.settlement)
    }

    @Test("a fixed-length body that arrived whole is one buffer, and the request is settled at once")
    func wholeBody() async throws {
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(
            headers: ["Content-Type": "application/json", "Content-Length": "11", "X-Backend": "a"],
            chunks: ["{\"ok\":true}"])
        let response = await Self.relay(upstream, admitted)
        #expect(admitted.inFlight == 0)
        #expect(admitted.counted == [200: 1])
        #expect(response.headers[HTTPField.Name("X-Backend")!] == "a")
        #expect(response.headers[HTTPField.Name("X-Accel-Buffering")!] == nil)
        #expect(response.headers[.contentLength] == nil, "the adapter sets the length of a whole body")
        guard case .whole(let body) = response.body else {
            Issue.record("a whole body")
            return
        }
        #expect(String(buffer: body) == "{\"ok\":true}")
    }

    @Test("a fixed-length body in several chunks streams them in order and settles after the last")
    func chunkedBody() async throws {
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(headers: ["Content-Length": "10"], chunks: ["hello", "world"])
        let response = await Self.relay(upstream, admitted)
        #expect(admitted.inFlight == 1)
        guard case .stream(let body) = response.body else {
            Issue.record("a streamed body")
            return
        }
        #expect(body.contentLength == 10)
        #expect(try await Self.written(body) == ["hello", "world"])
        #expect(admitted.inFlight == 0)
        #expect(admitted.counted == [200: 1])
    }

    @Test("an event stream is not read ahead: it streams with X-Accel-Buffering: no")
    func eventStream() async throws {
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(
            headers: ["Content-Type": "text/event-stream", "Content-Length": "9"], chunks: ["data: a\n\n"])
        let response = await Self.relay(upstream, admitted)
        #expect(admitted.inFlight == 1)
        #expect(response.headers[HTTPField.Name("X-Accel-Buffering")!] == "no")
        guard case .stream(let body) = response.body else {
            Issue.record("a streamed body")
            return
        }
        #expect(body.contentLength == nil)
        #expect(try await Self.written(body) == ["data: a\n\n"])
        #expect(admitted.counted == [200: 1])
    }

    @Test("an event stream the backend cuts off ends with an error event, counted as a 502")
    func eventStreamCutOff() async throws {
        struct Broken: Error {}
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(
            headers: ["Content-Type": "text/event-stream"], chunks: ["data: a\n\n"], failure: Broken())
        guard case .stream(let body) = await Self.relay(upstream, admitted).body else {
            Issue.record("a streamed body")
            return
        }
        #expect(try await Self.written(body) == ["data: a\n\n", RelayedResponseHead.midStreamFailureEvent])
        #expect(admitted.inFlight == 0)
        #expect(admitted.counted == [502: 1])
    }

    @Test("a client that goes away mid-stream: the write fails, the request is settled as a 502")
    func clientGone() async throws {
        struct Gone: Error {}
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(headers: ["Content-Type": "text/event-stream"], chunks: ["a", "b"])
        guard case .stream(let body) = await Self.relay(upstream, admitted).body else {
            Issue.record("a streamed body")
            return
        }
        await #expect(throws: Gone.self) { try await body.write { _ in throw Gone() } }
        #expect(admitted.inFlight == 0)
        #expect(admitted.counted == [502: 1])
    }

    @Test("a body without Content-Length is not read ahead")
    func unknownLength() async throws {
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(headers: ["Content-Type": "application/x-ndjson"], chunks: ["{}\n", "{}\n"])
        guard case .stream(let body) = await Self.relay(upstream, admitted).body else {
            Issue.record("a streamed body")
            return
        }
        #expect(try await Self.written(body) == ["{}\n", "{}\n"])
        #expect(admitted.counted == [200: 1])
    }

    @Test("an upstream that fails before its first chunk is a 502, settled as failed")
    func failsBeforeFirstChunk() async throws {
        struct Broken: Error {}
        let admitted = try await Admitted.make()
        let upstream = Self.upstream(headers: ["Content-Length": "10"], chunks: [], failure: Broken())
        let response = await Self.relay(upstream, admitted)
        #expect(response.status == .badGateway)
        #expect(admitted.inFlight == 0)
        #expect(admitted.counted == [502: 1])
    }

    @Test("a streamed response nobody writes still releases its lease, uncounted")
    func droppedBody() async throws {
        let scheduler = ModelScheduler(
            plan: try SchedulerActorTests.twoModels(), backends: FakeBackendControl(instant: ["a"]))
        let counters = RequestCounters()
        do {
            let settlement = RequestSettlement(
                lease: try await scheduler.acquire(model: "a"), scheduler: scheduler, counters: counters)
            let upstream = Self.upstream(headers: ["Content-Type": "text/event-stream"], chunks: ["a"])
            let response = await AnswerRelay.response(to: upstream, baseURL: "http://b", settlement: settlement)
            guard case .stream = response.body else {
                Issue.record("a streamed body")
                return
            }
            #expect(scheduler.snapshot()["a"]?.inFlight == 1)
        }
        #expect(scheduler.snapshot()["a"]?.inFlight == 0)
        #expect(counters.snapshot.isEmpty)
    }
}
