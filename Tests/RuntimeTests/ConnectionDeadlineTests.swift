import ConfigLang
import HTTPTypes
import NIOCore
import Testing

@testable import Runtime

/// ``ConnectionDeadline``: when a connection has stalled too long, on a clock the
/// tests move by hand.
struct ConnectionDeadlineTests {
    static let limits = ConnectionLimits(
        headerTimeout: .seconds(30), bodyTimeout: .seconds(60), idleTimeout: .seconds(90), writeTimeout: .seconds(45))
    let t0 = ContinuousClock.now

    @Test("a new connection must finish its head within the header timeout; bytes do not move it")
    func headerTimeout() {
        let state = ConnectionDeadline(limits: Self.limits, now: t0)
        #expect(state.deadline == t0 + .seconds(30))
        #expect(!state.expired(now: t0 + .seconds(29)))
        #expect(state.expired(now: t0 + .seconds(30)))
    }

    @Test("each body part restarts the body timeout; the end of the request clears it")
    func bodyTimeout() {
        var state = ConnectionDeadline(limits: Self.limits, now: t0)
        state.read(.head, now: t0 + .seconds(1))
        #expect(state.deadline == t0 + .seconds(61))
        state.read(.body, now: t0 + .seconds(50))
        #expect(state.deadline == t0 + .seconds(110))
        state.read(.end, now: t0 + .seconds(51))
        #expect(state.deadline == nil, "a long answer in progress has no deadline")
        #expect(!state.expired(now: t0 + .seconds(100_000)))
    }

    @Test("after the response ends, the next head is due within the idle timeout")
    func idleTimeout() {
        var state = ConnectionDeadline(limits: Self.limits, now: t0)
        state.read(.head, now: t0)
        state.read(.end, now: t0)
        state.wrote(.head, now: t0 + .seconds(5))
        state.wrote(.body, now: t0 + .seconds(500))
        #expect(state.deadline == nil)
        state.wrote(.end, now: t0 + .seconds(600))
        #expect(state.phase == .awaitingHead(first: false))
        #expect(state.deadline == t0 + .seconds(690))
    }

    @Test("a client that stops reading: the write timeout runs while the socket is full, and stops when it drains")
    func writeTimeout() {
        var state = ConnectionDeadline(limits: Self.limits, now: t0)
        state.read(.head, now: t0)
        state.read(.end, now: t0)
        state.writabilityChanged(false, now: t0 + .seconds(10))
        #expect(state.deadline == t0 + .seconds(55))
        state.writabilityChanged(false, now: t0 + .seconds(20))
        #expect(state.deadline == t0 + .seconds(55), "a repeat does not extend it")
        state.writabilityChanged(true, now: t0 + .seconds(30))
        #expect(state.deadline == nil)
    }

    @Test("a pipelined request keeps the connection out of idle until both answers end")
    func pipelined() {
        var state = ConnectionDeadline(limits: Self.limits, now: t0)
        state.read(.head, now: t0)
        state.read(.end, now: t0)
        state.read(.head, now: t0)
        state.read(.end, now: t0)
        state.wrote(.end, now: t0 + .seconds(1))
        #expect(state.phase == .answering)
        #expect(state.deadline == nil)
        state.wrote(.end, now: t0 + .seconds(2))
        #expect(state.deadline == t0 + .seconds(92))
    }
}

/// Request-body checks and error shapes that need no server.
struct RequestErrorShapeTests {
    @Test("two top-level `model` keys are refused; a nested one is not a duplicate")
    func duplicateModel() throws {
        #expect(throws: OpenAIError.self) {
            try ModelRequestBody(bytes: Array(#"{"model":"a","x":1,"model":"b"}"#.utf8))
        }
        #expect(throws: OpenAIError.self) {
            try ModelRequestBody(bytes: Array(#"{"model":"a","mod\u0065l":"b"}"#.utf8))
        }
        let nested = try ModelRequestBody(bytes: Array(#"{"model":"a","meta":{"model":"b"},"s":"\"model\":"}"#.utf8))
        #expect(nested.model == "a")
        #expect(TopLevelKeys.of(Array(#"{"a":[{"b":1}],"c":"}","d":{}}"#.utf8)) == ["a", "c", "d"])
    }

    @Test("Anthropic's shape on /v1/messages: type per status, swap's message; OpenAI's elsewhere")
    func anthropicShape() throws {
        let expected: [(OpenAIError, String)] = [
            (.unauthorized, "authentication_error"), (.unknownModel("x"), "not_found_error"),
            (.bodyTooLarge(limit: 1), "request_too_large"), (.badRequest("b"), "invalid_request_error"),
            (OpenAIError(.tooManyRequests, "busy", type: "t", code: "c"), "rate_limit_error"),
            (OpenAIError(.badGateway, "down", type: "t", code: "c"), "api_error"),
            (OpenAIError(.serviceUnavailable, "loading", type: "t", code: "c"), "overloaded_error"),
            (OpenAIError(.gatewayTimeout, "slow", type: "t", code: "c"), "timeout_error"),
        ]
        for (error, type) in expected {
            let body = try JSONValue(parsing: Array(error.anthropicBody.utf8))
            #expect(
                body
                    == .object([
                        "type": .string("error"),
                        "error": .object(["type": .string(type), "message": .string(error.message)]),
                    ]))
            let response = error.response(forPath: "/v1/messages/count_tokens")
            #expect(response.status == error.status)
            #expect(response.headers[.contentType] == "application/json")
        }
        guard case .whole(let buffer) = OpenAIError.unauthorized.response(forPath: "/v1/chat/completions").body
        else {
            Issue.record("a whole body")
            return
        }
        #expect(String(buffer: buffer) == OpenAIError.unauthorized.body)
    }
}
