/// What a model can do (`capabilities`), as `/v1/models` reports it.
public struct ModelCapabilities: Sendable, Equatable, Codable {
    /// Kinds of input the model understands (`text`, `audio`, `image`).
    public var input: [String]
    /// Kinds of output it produces.
    public var output: [String]
    /// It can call functions.
    public var tools: Bool
    /// It serves `/v1/rerank`.
    public var reranker: Bool
    /// Largest context in tokens (0 = not given).
    public var context: Int

    enum CodingKeys: String, CodingKey {
        case input = "in"
        case output = "out"
        case tools, reranker, context
    }

    /// True when nothing is declared (llama-swap treats that as no capabilities).
    public var isEmpty: Bool { input.isEmpty && output.isEmpty && !tools && !reranker && context == 0 }
}
