import ConfigLang
import Foundation

/// One parsed `POST /v1/chat/completions` or `POST /v1/completions`, with everything the
/// response shapes need: the endpoint flavour, the body to echo, and a prompt token count.
struct CompletionRequest: Sendable {
    /// Which OpenAI endpoint was called; decides the `object` names and the choice shape.
    enum Kind: Sendable {
        /// `/v1/chat/completions`: `chat.completion` / `chat.completion.chunk`, `message` / `delta`.
        case chat
        /// `/v1/completions`: `text_completion` objects with a `text` choice.
        case text
        /// `/v1/responses` (OpenAI Responses API): a `response` object, `response.*` events.
        case responses
        /// `/v1/messages` (Anthropic Messages API): a `message` object, `message_*` events.
        case messages

        /// The endpoint's path.
        var path: String {
            switch self {
            case .chat: "/v1/chat/completions"
            case .text: "/v1/completions"
            case .responses: "/v1/responses"
            case .messages: "/v1/messages"
            }
        }

        /// The kind answering `path`, if it is a completion endpoint.
        init?(path: String) {
            switch path {
            case "/v1/chat/completions": self = .chat
            case "/v1/completions": self = .text
            case "/v1/responses": self = .responses
            case "/v1/messages": self = .messages
            default: return nil
            }
        }

        /// The prefix of response ids.
        var idPrefix: String {
            switch self {
            case .chat: "chatcmpl-fake-"
            case .text: "cmpl-fake-"
            case .responses: "resp_fake_"
            case .messages: "msg_fake_"
            }
        }
    }

    /// The endpoint flavour.
    var kind: Kind
    /// The request body exactly as parsed; returned under `"echo"`.
    var body: JSONValue
    /// The forwarded `authorization`, `x-api-key` and `content-type` headers, those present.
    var echoHeaders: JSONValue
    /// Model name the backend reports (the command line's, never the request's).
    var modelName: String
    /// Tokens to generate.
    var completionTokens: Int
    /// Response id shared by every chunk of one stream.
    var id: String
    /// Unix seconds at which the request arrived.
    var created: Int

    /// `true` when the body has `"stream": true`.
    var isStreaming: Bool { body["stream"]?.boolValue ?? false }

    /// Whitespace-separated words across the prompt or the messages' text (never below 1).
    var promptTokens: Int {
        let texts: [String]
        func contents(_ messages: [JSONValue]) -> [String] {
            messages.flatMap { message -> [String] in
                switch message["content"] {
                case .string(let text)?: return [text]
                case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }
                default: return []
                }
            }
        }
        switch kind {
        case .chat, .messages:
            guard case .array(let messages)? = body["messages"] else { return 1 }
            texts = contents(messages)
        case .responses:
            switch body["input"] {
            case .string(let text)?: texts = [text]
            case .array(let items)?: texts = contents(items)
            default: texts = []
            }
        case .text:
            switch body["prompt"] {
            case .string(let text)?: texts = [text]
            case .array(let prompts)?: texts = prompts.compactMap(\.stringValue)
            default: texts = []
            }
        }
        let words = texts.reduce(0) { $0 + $1.split(whereSeparator: \.isWhitespace).count }
        return max(words, 1)
    }

    /// The `i`-th generated token as it appears in the text (`"tok0"`, `" tok1"`, …), so the
    /// streamed pieces concatenate to the non-streaming content.
    func token(_ index: Int) -> String {
        index == 0 ? "tok0" : " tok\(index)"
    }

    /// The whole generated text: `"tok0 tok1 … tokN-1"`.
    var content: String {
        (0..<completionTokens).map(token).joined()
    }
}
