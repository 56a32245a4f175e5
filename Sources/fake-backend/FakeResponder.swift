import ConfigLang
import Foundation
import Hummingbird

/// Answers every request the fake backend receives and logs one stdout line per request.
///
/// Routes:
/// - `GET /health`: 200 `{"status": "ok", "pid": P}`, or 503 with an error body under `--fail-health`.
/// - `GET /v1/models`: `{"object": "list", "data": [{"id": NAME, "object": "model", …}]}`.
/// - `POST /v1/chat/completions`, `POST /v1/completions`, `POST /v1/responses`,
///   `POST /v1/messages`: see ``CompletionRequest`` and ``CompletionStream``; a body that
///   is not JSON gets 400.
/// - `POST /v1/embeddings`: one deterministic ``Embedding`` per input string.
/// - anything else: 200 `{"method", "path", "query", "body", "echo_headers"}` describing the
///   request, for passthrough tests.
struct FakeResponder: HTTPResponder {
    /// Plain Hummingbird context; the fake needs nothing request-scoped.
    typealias Context = BasicRequestContext

    /// Largest request body accepted.
    static let maximumBodySize = 64 * 1024 * 1024

    /// Behaviour chosen on the command line.
    let behavior: BackendBehavior

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let bodyBuffer = try await request.collectBody(upTo: Self.maximumBodySize)
        let bodyData = Data(bodyBuffer.readableBytesView)
        let method = request.method
        let path = request.uri.path

        switch (method, path) {
        case (.get, "/health"):
            StandardOutput.log("GET /health")
            return health()
        case (.get, "/v1/models"):
            StandardOutput.log("GET /v1/models")
            return models()
        case (.post, _) where CompletionRequest.Kind(path: path) != nil:
            if behavior.answerDelayMilliseconds > 0 {
                try await Task.sleep(for: .milliseconds(behavior.answerDelayMilliseconds))
            }
            return completion(kind: CompletionRequest.Kind(path: path)!, body: bodyData, headers: request.headers)
        case (.post, "/v1/embeddings"):
            StandardOutput.log("POST /v1/embeddings")
            return embeddings(body: bodyData, headers: request.headers)
        default:
            StandardOutput.log("\(method.rawValue) \(path)")
            let description: JSONValue = [
                "method": .string(method.rawValue),
                "path": .string(path),
                "query": .string(request.uri.query ?? ""),
                "body": .string(String(decoding: bodyData, as: UTF8.self)),
                "echo_headers": Self.echoHeaders(request.headers),
            ]
            return JSONResponse.make(description)
        }
    }

    private func health() -> Response {
        guard !behavior.failHealth else {
            return OpenAIError.response(
                .serviceUnavailable, message: "Loading model (--fail-health)", type: "unavailable_error")
        }
        // The pid tells a test's health poll that it reached the process it started, not
        // another one that took the port first.
        return JSONResponse.make(["status": "ok", "pid": .integer(Int(ProcessInfo.processInfo.processIdentifier))])
    }

    private func models() -> Response {
        let model: JSONValue = [
            "id": .string(behavior.modelName), "object": "model", "created": 0, "owned_by": "fake-backend",
        ]
        return JSONResponse.make(["object": "list", "data": [model]])
    }

    private func completion(kind: CompletionRequest.Kind, body: Data, headers: HTTPFields) -> Response {
        let path = kind.path
        guard let parsed = try? JSONValue(parsing: body) else {
            StandardOutput.log("POST \(path) rejected: body is not JSON")
            return Self.malformedBody()
        }
        let completion = CompletionRequest(
            kind: kind,
            body: parsed,
            echoHeaders: Self.echoHeaders(headers),
            modelName: behavior.modelName,
            completionTokens: behavior.tokens,
            id: kind.idPrefix + UUID().uuidString.prefix(8).lowercased(),
            created: Int(Date().timeIntervalSince1970)
        )
        StandardOutput.log("POST \(path) stream=\(completion.isStreaming)")
        guard completion.isStreaming else {
            return JSONResponse.make(completion.completionObject())
        }
        let stream = CompletionStream(
            request: completion,
            tokenDelay: .milliseconds(behavior.tokenDelayMilliseconds),
            crashAfterChunks: behavior.crashAfterChunks
        )
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: stream.responseBody()
        )
    }

    private func embeddings(body: Data, headers: HTTPFields) -> Response {
        guard let parsed = try? JSONValue(parsing: body) else { return Self.malformedBody() }
        let inputs: [String]
        switch parsed["input"] {
        case .string(let text)?: inputs = [text]
        case .array(let items)?: inputs = items.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
        default:
            return OpenAIError.response(.badRequest, message: "'input' is required", type: "invalid_request_error")
        }
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            [
                "object": "embedding", "index": .integer(index),
                "embedding": .array(Embedding.vector(for: text).map(JSONValue.double)),
            ]
        }
        let tokens = inputs.reduce(0) { $0 + max($1.split(whereSeparator: \.isWhitespace).count, 1) }
        return JSONResponse.make([
            "object": "list",
            "data": .array(data),
            "model": .string(behavior.modelName),
            "usage": ["prompt_tokens": .integer(tokens), "total_tokens": .integer(tokens)],
            "echo": parsed,
            "echo_headers": Self.echoHeaders(headers),
        ])
    }

    private static func malformedBody() -> Response {
        OpenAIError.response(.badRequest, message: "request body is not valid JSON", type: "invalid_request_error")
    }

    /// The headers tests inspect to see what the proxy forwarded, keyed by lowercased name;
    /// absent headers are left out.
    private static func echoHeaders(_ headers: HTTPFields) -> JSONValue {
        var echoed: [String: JSONValue] = [:]
        for field in headers where echoed[field.name.canonicalName] == nil {
            let name = field.name.canonicalName
            if ["authorization", "x-api-key", "content-type"].contains(name) {
                echoed[name] = .string(field.value)
            }
        }
        return .object(echoed)
    }
}
