import ConfigLang

/// The OpenAI-compatible JSON bodies answered for a completion request.
///
/// Non-streaming (`/v1/chat/completions`):
/// ```json
/// {"id": "chatcmpl-fake-…", "object": "chat.completion", "created": 1700000000, "model": "NAME",
///  "choices": [{"index": 0, "message": {"role": "assistant", "content": "tok0 tok1 …"},
///               "finish_reason": "stop"}],
///  "usage": {"prompt_tokens": P, "completion_tokens": N, "total_tokens": P+N},
///  "echo": <request body>, "echo_headers": {"authorization": "…", "content-type": "…"}}
/// ```
/// `/v1/completions` uses `"object": "text_completion"` and choices
/// `{"index": 0, "text": "…", "finish_reason": "stop"}`.
extension CompletionRequest {
    /// The complete (non-streaming) response object.
    func completionObject() -> JSONValue {
        let choice: JSONValue
        switch kind {
        case .chat:
            choice = [
                "index": 0,
                "message": ["role": "assistant", "content": .string(content)],
                "finish_reason": "stop",
            ]
        case .text:
            choice = ["index": 0, "text": .string(content), "finish_reason": "stop"]
        }
        return [
            "id": .string(id),
            "object": kind == .chat ? "chat.completion" : "text_completion",
            "created": .integer(created),
            "model": .string(modelName),
            "choices": [choice],
            "usage": usage(),
            "echo": body,
            "echo_headers": echoHeaders,
        ]
    }

    /// Streamed token chunk `index`: one token in `choices[0].delta.content` (chat) or
    /// `choices[0].text` (text), `finish_reason` null. The first chunk also carries the
    /// assistant `role`, `"echo"` and `"echo_headers"`.
    func tokenChunk(_ index: Int) -> JSONValue {
        let choice: JSONValue
        switch kind {
        case .chat:
            var delta: [String: JSONValue] = ["content": .string(token(index))]
            if index == 0 { delta["role"] = "assistant" }
            choice = ["index": 0, "delta": .object(delta), "finish_reason": nil]
        case .text:
            choice = ["index": 0, "text": .string(token(index)), "finish_reason": nil]
        }
        var chunk = chunkEnvelope(choices: [choice])
        if index == 0 {
            chunk["echo"] = body
            chunk["echo_headers"] = echoHeaders
        }
        return .object(chunk)
    }

    /// The last data chunk: an empty delta with `finish_reason: "stop"`, `usage`, and
    /// llama.cpp-style `timings` `{"predicted_n": N, "predicted_per_second": R, "predicted_ms": T}`.
    func finalChunk(elapsedSeconds: Double) -> JSONValue {
        let choice: JSONValue =
            kind == .chat
            ? ["index": 0, "delta": [:], "finish_reason": "stop"]
            : ["index": 0, "text": "", "finish_reason": "stop"]
        let perSecond = elapsedSeconds > 0 ? Double(completionTokens) / elapsedSeconds : Double(completionTokens) * 1000
        var chunk = chunkEnvelope(choices: [choice])
        chunk["usage"] = usage()
        chunk["timings"] = [
            "predicted_n": .integer(completionTokens),
            "predicted_ms": .double((elapsedSeconds * 1_000_000).rounded() / 1000),
            "predicted_per_second": .double((perSecond * 1000).rounded() / 1000),
        ]
        return .object(chunk)
    }

    private func chunkEnvelope(choices: [JSONValue]) -> [String: JSONValue] {
        [
            "id": .string(id),
            "object": kind == .chat ? "chat.completion.chunk" : "text_completion",
            "created": .integer(created),
            "model": .string(modelName),
            "choices": .array(choices),
        ]
    }

    private func usage() -> JSONValue {
        let prompt = promptTokens
        return [
            "prompt_tokens": .integer(prompt),
            "completion_tokens": .integer(completionTokens),
            "total_tokens": .integer(prompt + completionTokens),
        ]
    }
}
