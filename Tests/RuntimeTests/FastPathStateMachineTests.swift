import NIOCore
import NIOHTTP1
import Testing

@testable import Runtime

/// The order of a connection's requests between the fast path and Hummingbird, without
/// a channel: what is collected, held, handed on, and in which order.
struct FastPathStateMachineTests {
    typealias Machine = FastPathHandler.StateMachine

    static func head(
        _ method: HTTPMethod = .POST, _ uri: String = "/v1/chat/completions", headers: [(String, String)] = []
    ) -> HTTPRequestHead {
        HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: HTTPHeaders(headers))
    }

    /// A short description of each event, to compare sequences.
    static func describe(_ events: [FastPathHandler.Inbound]) -> [String] {
        events.map { event in
            switch event {
            case .part(.head(let head)): "head \(head.method.rawValue) \(head.uri)"
            case .part(.body(let body)): "body \(String(buffer: body))"
            case .part(.end(let trailers)): trailers == nil ? "end" : "end+trailers"
            case .error: "error"
            case .inputClosed: "inputClosed"
            }
        }
    }

    static func forwarded(_ action: Machine.Action) -> [String]? {
        if case .forward(let events) = action { return describe(events) }
        return nil
    }

    struct ParseFailure: Error {}

    /// Feeds a candidate's head, body and end; returns the last action.
    static func candidate(_ machine: inout Machine, body: String = "{}", uri: String = "/v1/chat/completions")
        -> Machine.Action
    {
        #expect(machine.received(.part(.head(head(.POST, uri)))).isNone)
        #expect(machine.received(.part(.body(ByteBuffer(string: body)))).isNone)
        return machine.received(.part(.end(nil)))
    }

    @Test("a candidate is collected whole, then decided; its body arrives as one buffer")
    func collectsCandidate() {
        var machine = Machine(maxBodyBytes: 1000)
        #expect(machine.received(.part(.head(Self.head()))).isNone)
        #expect(machine.received(.part(.body(ByteBuffer(string: "{\"a\":")))).isNone)
        #expect(machine.received(.part(.body(ByteBuffer(string: "1}")))).isNone)
        #expect(!machine.holdsReads, "the body is still being read")
        guard case .decide(let head, let body) = machine.received(.part(.end(nil))) else {
            Issue.record("a complete candidate is decided")
            return
        }
        #expect(head.uri == "/v1/chat/completions")
        #expect(body.map { String(buffer: $0) } == "{\"a\":1}")
    }

    @Test("while the fast path serves a request, later events are held and the socket is not read")
    func holdsWhileServing() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = Self.candidate(&machine)
        machine.started()
        #expect(machine.isServing && !machine.holdsReads, "nothing came after it yet")
        #expect(machine.received(.part(.head(Self.head(.GET, "/v1/models")))).isNone)
        #expect(machine.holdsReads, "something came: no more reads until it is handled")
        #expect(machine.received(.part(.end(nil))).isNone)
        #expect(machine.received(.inputClosed).isNone)
        #expect(machine.nextHeld() == nil, "nothing is handed out while serving")
        machine.answered()
        machine.completed()
        #expect(!machine.isServing)
        #expect(machine.holdsReads, "held events are still to be handled")
        var handled: [String] = []
        while let event = machine.nextHeld() {
            handled += Self.forwarded(machine.received(event)) ?? ["(kept)"]
        }
        #expect(handled == ["head GET /v1/models", "end", "inputClosed"])
        #expect(!machine.holdsReads)
    }

    @Test("held candidates are taken one at a time: handling stops while the next is served")
    func heldCandidatesInOrder() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = Self.candidate(&machine, body: "1")
        machine.started()
        for body in ["2", "3"] {
            _ = machine.received(.part(.head(Self.head())))
            _ = machine.received(.part(.body(ByteBuffer(string: body))))
            _ = machine.received(.part(.end(nil)))
        }
        machine.completed()
        var decided = Self.startHeld(&machine)
        #expect(decided == ["2"], "the third request waits for the second's answer")
        machine.completed()
        decided += Self.startHeld(&machine)
        #expect(decided == ["2", "3"])
    }

    /// Replays the held events until the machine hands back none (a candidate being
    /// served holds the rest), starting each candidate it decides; returns their bodies.
    static func startHeld(_ machine: inout Machine) -> [String] {
        var decided: [String] = []
        while let event = machine.nextHeld() {
            if case .decide(_, let body) = machine.received(event) {
                decided.append(body.map { String(buffer: $0) } ?? "")
                machine.started()
            }
        }
        return decided
    }

    @Test("a declined candidate goes to Hummingbird whole, followed by what was held")
    func declinedGoesOnWhole() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = Self.candidate(&machine, body: "x")
        let forwarded = Self.forwarded(machine.declined())
        #expect(forwarded == ["head POST /v1/chat/completions", "body x", "end"])
        #expect(!machine.holdsReads)
    }

    @Test("a request that fails upstream before its answer goes to Hummingbird with the events held meanwhile")
    func fallBackAfterStart() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = Self.candidate(&machine, body: "x")
        machine.started()
        _ = machine.received(.part(.head(Self.head(.GET, "/health"))))
        _ = machine.received(.part(.end(nil)))
        let forwarded = Self.forwarded(machine.declined())
        #expect(forwarded == ["head POST /v1/chat/completions", "body x", "end", "head GET /health", "end"])
        #expect(!machine.isServing)
    }

    @Test("once the backend answered, the request cannot go to Hummingbird any more")
    func noFallBackAfterAnswer() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = Self.candidate(&machine)
        machine.started()
        machine.answered()
        #expect(machine.declined().isNone)
        #expect(machine.isServing)
    }

    @Test("while Hummingbird answers a request, every later request goes to it too, until its answers end")
    func slowPathKeepsOrder() {
        var machine = Machine(maxBodyBytes: 1000)
        #expect(
            Self.forwarded(machine.received(.part(.head(Self.head(.GET, "/v1/models"))))) == ["head GET /v1/models"])
        #expect(Self.forwarded(machine.received(.part(.end(nil)))) == ["end"])
        // A candidate pipelined behind it goes to Hummingbird as well.
        #expect(
            Self.forwarded(machine.received(.part(.head(Self.head())))) == ["head POST /v1/chat/completions"])
        #expect(Self.forwarded(machine.received(.part(.end(nil)))) == ["end"])
        machine.responseEnded()
        #expect(machine.received(.part(.head(Self.head()))).isForward, "one of two answers is still due")
        _ = machine.received(.part(.end(nil)))
        machine.responseEnded()
        machine.responseEnded()
        #expect(machine.received(.part(.head(Self.head()))).isNone, "all answered: the next candidate is collected")
    }

    @Test("an answer that ends before its request's body keeps the rest of that body on Hummingbird's side")
    func answerBeforeBodyEnd() {
        var machine = Machine(maxBodyBytes: 1000)
        _ = machine.received(.part(.head(Self.head(.PUT, "/api/x"))))
        machine.responseEnded()
        #expect(Self.forwarded(machine.received(.part(.body(ByteBuffer(string: "rest"))))) == ["body rest"])
        #expect(Self.forwarded(machine.received(.part(.end(nil)))) == ["end"])
        #expect(machine.received(.part(.head(Self.head()))).isNone, "now the connection is idle")
    }

    @Test("a candidate whose body reaches the limit, has trailers, or meets an error is handed on as received")
    func handOffs() {
        var large = Machine(maxBodyBytes: 8)
        _ = large.received(.part(.head(Self.head())))
        _ = large.received(.part(.body(ByteBuffer(string: "1234"))))
        #expect(
            Self.forwarded(large.received(.part(.body(ByteBuffer(string: "5678")))))
                == ["head POST /v1/chat/completions", "body 1234", "body 5678"])
        #expect(Self.forwarded(large.received(.part(.end(nil)))) == ["end"])

        var trailers = Machine(maxBodyBytes: 1000)
        _ = trailers.received(.part(.head(Self.head())))
        #expect(
            Self.forwarded(trailers.received(.part(.end(HTTPHeaders([("x", "y")])))))
                == ["head POST /v1/chat/completions", "end+trailers"])

        var failing = Machine(maxBodyBytes: 1000)
        _ = failing.received(.part(.head(Self.head())))
        _ = failing.received(.part(.body(ByteBuffer(string: "ab"))))
        #expect(
            Self.forwarded(failing.received(.error(ParseFailure())))
                == ["head POST /v1/chat/completions", "body ab", "error"])
    }

    @Test("requests that cannot be candidates go straight on")
    func nonCandidates() {
        var machine = Machine(maxBodyBytes: 1000)
        let close = Self.head(headers: [("Connection", "close")])
        #expect(Self.forwarded(machine.received(.part(.head(close)))) == ["head POST /v1/chat/completions"])
        var other = Machine(maxBodyBytes: 1000)
        #expect(other.received(.part(.head(Self.head(.POST, "/api/models/unload")))).isForward)
    }

    @Test("a quiesce waits while the fast path collects, serves, or holds; not while idle or on Hummingbird's side")
    func quiesce() {
        var machine = Machine(maxBodyBytes: 1000)
        #expect(!machine.defersQuiesce)
        _ = machine.received(.part(.head(Self.head())))
        #expect(machine.defersQuiesce)
        _ = machine.received(.part(.end(nil)))
        machine.started()
        #expect(machine.defersQuiesce)
        _ = machine.received(.part(.head(Self.head(.GET, "/health"))))
        machine.completed()
        #expect(machine.defersQuiesce, "a held request is still to come")
        while let event = machine.nextHeld() { _ = machine.received(event) }
        #expect(!machine.defersQuiesce)
    }
}

extension FastPathHandler.StateMachine.Action {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    var isForward: Bool {
        if case .forward = self { return true }
        return false
    }
}
