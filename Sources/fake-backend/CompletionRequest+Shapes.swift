import ConfigLang

/// The JSON bodies answered for a completion request, in the shape of the endpoint
/// called. Token counts: P prompt words (``CompletionRequest/promptTokens``), N
/// generated tokens.
///
/// Non-streaming `/v1/chat/completions`:
/// ```json
/// {"id": "chatcmpl-fake-…", "object": "chat.completion", "created": 1700000000, "model": "NAME",
///  "choices": [{"index": 0, "message": {"role": "assistant", "content": "tok0 tok1 …"},
///               "finish_reason": "stop"}],
///  "usage": {"prompt_tokens": P, "completion_tokens": N, "total_tokens": P+N},
///  "timings": {"prompt_n": P, "prompt_ms": P/1000, "prompt_per_second": 1000000, "predicted_n": N, …},
///  "echo": <request body>, "echo_headers": {"authorization": "…", "content-type": "…"}}
/// ```
/// `/v1/completions` uses `"object": "text_completion"` and choices
/// `{"index": 0, "text": "…", "finish_reason": "stop"}`. `/v1/responses` answers a
/// `response` object (`output[0].content[0].output_text`, `usage.input_tokens` /
/// `output_tokens`); `/v1/messages` an Anthropic `message` (`content[0].text`,
/// `usage.input_tokens` / `output_tokens`); neither has `timings`.
extension CompletionRequest {
    /// The complete (non-streaming) response object.
    func completionObject() -> JSONValue {
        switch kind {
        case .responses:
            var response = responseObject(status: "completed")
            response["echo"] = body
            response["echo_headers"] = echoHeaders
            return .object(response)
        case .messages:
            var message = messageObject(text: content, outputTokens: completionTokens)
            message["stop_reason"] = "end_turn"
            message["echo"] = body
            message["echo_headers"] = echoHeaders
            return .object(message)
        case .chat, .text:
            break
        }
        let choice: JSONValue =
            kind == .chat
            ? ["index": 0, "message": ["role": "assistant", "content": .string(content)], "finish_reason": "stop"]
            : ["index": 0, "text": .string(content), "finish_reason": "stop"]
        return [
            "id": .string(id),
            "object": kind == .chat ? "chat.completion" : "text_completion",
            "created": .integer(created),
            "model": .string(modelName),
            "choices": [choice],
            "usage": usage(),
            "timings": timings(elapsedSeconds: 0),
            "echo": body,
            "echo_headers": echoHeaders,
        ]
    }

    /// The events a stream opens with, before the first token (`event:` name, payload).
    func openingEvents() -> [(event: String?, payload: JSONValue)] {
        switch kind {
        case .chat, .text:
            return []
        case .responses:
            return [
                (
                    "response.created",
                    ["type": "response.created", "response": .object(responseObject(status: "in_progress"))]
                )
            ]
        case .messages:
            var message = messageObject(text: nil, outputTokens: 1)
            message["echo"] = body
            message["echo_headers"] = echoHeaders
            return [
                ("message_start", ["type": "message_start", "message": .object(message)]),
                (
                    "content_block_start",
                    ["type": "content_block_start", "index": 0, "content_block": ["type": "text", "text": ""]]
                ),
            ]
        }
    }

    /// Streamed token `index` as an event.
    func tokenEvent(_ index: Int) -> (event: String?, payload: JSONValue) {
        switch kind {
        case .chat, .text:
            return (nil, tokenChunk(index))
        case .responses:
            var delta: [String: JSONValue] = [
                "type": "response.output_text.delta", "item_id": .string("msg_" + id), "output_index": 0,
                "content_index": 0, "delta": .string(token(index)),
            ]
            if index == 0 {
                delta["echo"] = body
                delta["echo_headers"] = echoHeaders
            }
            return ("response.output_text.delta", .object(delta))
        case .messages:
            return (
                "content_block_delta",
                [
                    "type": "content_block_delta", "index": 0,
                    "delta": ["type": "text_delta", "text": .string(token(index))],
                ]
            )
        }
    }

    /// The events a stream ends with, after the last token; `done` is whether a
    /// `data: [DONE]` line follows (OpenAI's chat and text streams).
    func closingEvents(elapsedSeconds: Double) -> (events: [(event: String?, payload: JSONValue)], done: Bool) {
        switch kind {
        case .chat, .text:
            return ([(nil, finalChunk(elapsedSeconds: elapsedSeconds))], true)
        case .responses:
            return (
                [
                    (
                        "response.completed",
                        ["type": "response.completed", "response": .object(responseObject(status: "completed"))]
                    )
                ],
                false
            )
        case .messages:
            return (
                [
                    ("content_block_stop", ["type": "content_block_stop", "index": 0]),
                    (
                        "message_delta",
                        [
                            "type": "message_delta", "delta": ["stop_reason": "end_turn", "stop_sequence": nil],
                            "usage": ["output_tokens": .integer(completionTokens)],
                        ]
                    ),
                    ("message_stop", ["type": "message_stop"]),
                ],
                false
            )
        }
    }

    /// Streamed token chunk `index`: one token in `choices[0].delta.content` (chat) or
    /// `choices[0].text` (text), `finish_reason` null. The first chunk also carries the
    /// assistant `role`, `"echo"` and `"echo_headers"`.
    func tokenChunk(_ index: Int) -> JSONValue {
        let choice: JSONValue
        switch kind {
        case .chat, .responses, .messages:
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
    /// llama.cpp-style `timings` (``timings(elapsedSeconds:)``).
    func finalChunk(elapsedSeconds: Double) -> JSONValue {
        let choice: JSONValue =
            kind == .text
            ? ["index": 0, "text": "", "finish_reason": "stop"]
            : ["index": 0, "delta": [:], "finish_reason": "stop"]
        var chunk = chunkEnvelope(choices: [choice])
        chunk["usage"] = usage()
        chunk["timings"] = timings(elapsedSeconds: elapsedSeconds)
        return .object(chunk)
    }

    /// llama.cpp's `timings`: `{"prompt_n": P, "prompt_ms": P/1000, "prompt_per_second": 1000000,
    /// "predicted_n": N, "predicted_ms": T, "predicted_per_second": N/T, "cache_n": 0}`, T the
    /// time the tokens took (N µs for a complete answer, which measures nothing).
    func timings(elapsedSeconds: Double) -> JSONValue {
        let perSecond = elapsedSeconds > 0 ? Double(completionTokens) / elapsedSeconds : 1_000_000
        let predictedMilliseconds = elapsedSeconds > 0 ? elapsedSeconds * 1000 : Double(completionTokens) / 1000
        return [
            "prompt_n": .integer(promptTokens),
            "prompt_ms": .double(Double(promptTokens) / 1000),
            "prompt_per_second": 1_000_000.0,
            "cache_n": 0,
            "predicted_n": .integer(completionTokens),
            "predicted_ms": .double((predictedMilliseconds * 1000).rounded() / 1000),
            "predicted_per_second": .double((perSecond * 1000).rounded() / 1000),
        ]
    }

    private func chunkEnvelope(choices: [JSONValue]) -> [String: JSONValue] {
        [
            "id": .string(id),
            "object": kind == .text ? "text_completion" : "chat.completion.chunk",
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

    /// A Responses API `response` object with `status`; the output text and `usage` once
    /// completed.
    private func responseObject(status: String) -> [String: JSONValue] {
        let done = status == "completed"
        var response: [String: JSONValue] = [
            "id": .string(id), "object": "response", "created_at": .integer(created), "model": .string(modelName),
            "status": .string(status),
            "output": done
                ? [
                    [
                        "type": "message", "id": .string("msg_" + id), "status": "completed", "role": "assistant",
                        "content": [["type": "output_text", "text": .string(content), "annotations": []]],
                    ]
                ] : [],
        ]
        if done {
            response["usage"] = [
                "input_tokens": .integer(promptTokens), "output_tokens": .integer(completionTokens),
                "total_tokens": .integer(promptTokens + completionTokens),
                "input_tokens_details": ["cached_tokens": 0],
            ]
        }
        return response
    }

    /// An Anthropic `message` object (`text` nil: no content yet).
    private func messageObject(text: String?, outputTokens: Int) -> [String: JSONValue] {
        [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(modelName),
            "content": text.map { [["type": "text", "text": .string($0)]] } ?? [],
            "stop_reason": nil,
            "usage": ["input_tokens": .integer(promptTokens), "output_tokens": .integer(outputTokens)],
        ]
    }
}
