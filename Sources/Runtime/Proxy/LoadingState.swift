import ConfigLang
import FoundationEssentials
import HTTPTypes
import NIOCore

/// `sendLoadingState`: a streaming chat request for a model that is not ready gets a
/// `200 text/event-stream` at once, with the load's progress as `reasoning_content`
/// chunks, then the model's own stream on the same response.
///
/// The progress chunks carry the id `swap-loading` and the text starts and ends with a
/// `━━━━━` line (what llama-swap's UI looks for), so a client can show them as loading
/// rather than as the model's reasoning.
enum LoadingState {
    /// The `id` of every progress chunk.
    static let chunkID = "swap-loading"
    /// The line that opens and closes the progress text.
    static let rule = "━━━━━"
    /// How often a progress dot is sent while the model loads.
    static let tick = Duration.milliseconds(750)

    /// Whether `model` streams its loading state for a request to `path` with `body`.
    static func applies(to model: ModelPlan, path: String, body: UpstreamRequestBody) -> Bool {
        guard model.sendLoadingState == true, path == "/v1/chat/completions", case .bytes(let bytes) = body,
            case .object(let fields)? = try? JSONValue(parsing: bytes)
        else { return false }
        return fields["stream"] == .bool(true)
    }

    /// One progress chunk with `text` as its `reasoning_content`.
    static func chunk(_ text: String, model: String, created: Int) -> ByteBuffer {
        let delta: JSONValue = .object([
            "id": .string(chunkID), "object": .string("chat.completion.chunk"), "created": .integer(created),
            "model": .string(model),
            "choices": .array([
                .object([
                    "index": .integer(0), "delta": .object(["reasoning_content": .string(text)]),
                    "finish_reason": .null,
                ])
            ]),
        ])
        return ByteBuffer(string: "data: \(delta.serialized())\n\n")
    }

    private enum Event: Sendable {
        case tick
        case done(ProxyResponse)
    }

    /// The event stream for `model`: progress while `load` runs (it admits the request,
    /// waits for the backend and sends; its errors come back as error responses), then
    /// the answer `load` produced.
    static func response(model: String, load: @escaping @Sendable () async -> ProxyResponse) -> ProxyResponse {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache"]
        return ProxyResponse(
            status: .ok, headers: headers,
            body: .produced(
                ProducedBody { write in
                    try await stream(model: model, load: load, write: write)
                }))
    }

    private static func stream(
        model: String, load: @escaping @Sendable () async -> ProxyResponse,
        write: (ByteBuffer) async throws -> Void
    ) async throws {
        let created = Int(Date().timeIntervalSince1970)
        let started = ContinuousClock.now
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let work = Task {
            continuation.yield(.done(await load()))
            continuation.finish()
        }
        let ticker = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: tick)
                continuation.yield(.tick)
            }
        }
        defer { ticker.cancel() }
        var answer: ProxyResponse?
        do {
            try await write(chunk("\(rule)\nswap loading model: \(model)\n", model: model, created: created))
            for await event in events {
                switch event {
                case .tick:
                    try await write(chunk(".", model: model, created: created))
                case .done(let response):
                    answer = response
                }
                if answer != nil { break }
            }
            guard let answer else { throw CancellationError() }
            ticker.cancel()
            let elapsed = (ContinuousClock.now - started).components
            let tenths = Int(elapsed.seconds) * 10 + Int(elapsed.attoseconds / 100_000_000_000_000_000)
            let done = answer.status == .ok ? "Done!" : "Failed:"
            try await write(
                chunk("\n\(done) (\(tenths / 10).\(tenths % 10)s)\n\(rule)\n", model: model, created: created))
            try await write(chunk(" ", model: model, created: created))
            try await relay(answer, write: write)
        } catch {
            // The client went away: stop the load's request and let its answer settle.
            work.cancel()
            if answer == nil { answer = await Self.result(of: events) }
            if let answer { try? await relay(answer) { _ in throw CancellationError() } }
            throw error
        }
    }

    /// The answer `events` ends with, once the load gives up.
    private static func result(of events: AsyncStream<Event>) async -> ProxyResponse? {
        for await event in events {
            if case .done(let response) = event { return response }
        }
        return nil
    }

    /// The model's answer after the progress: its stream as it comes, or a whole body
    /// (an error) as one `data:` event.
    private static func relay(_ answer: ProxyResponse, write: (ByteBuffer) async throws -> Void) async throws {
        switch answer.body {
        case .whole(let buffer):
            var event = ByteBuffer(string: "data: ")
            var body = buffer
            event.writeBuffer(&body)
            event.writeString("\n\n")
            try await write(event)
        case .stream(let body):
            try await body.write(to: write)
        case .produced(let body):
            try await body.write(write)
        }
    }
}

/// A response body written by a closure (the loading-state stream).
public struct ProducedBody: Sendable {
    /// Writes the body through the function it is given.
    public let write: @Sendable ((ByteBuffer) async throws -> Void) async throws -> Void
}
