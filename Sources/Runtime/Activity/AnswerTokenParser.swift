import ConfigLang

/// Reads the token counts of one answer from its body chunks as they pass, without
/// holding the body: an event stream is scanned line by line (each `data:` line that
/// mentions `usage`, `timings` or `metrics` is parsed), a plain body is kept up to
/// ``plainLimit`` bytes and parsed at the end.
///
/// Rules (llama-swap's, `observability.md` 2.1): counts from `usage`, `response.usage`
/// (Responses API) or `message.usage` (Anthropic); input = `prompt_tokens` |
/// `input_tokens`, output = `completion_tokens` | `output_tokens`, cached =
/// `cache_read_input_tokens` | `input_tokens_details.cached_tokens` |
/// `prompt_tokens_details.cached_tokens`. The last llama.cpp `timings` overrides them
/// (and gives the speeds and drafts); the last vLLM `metrics` gives drafts and speeds.
/// `/infill` answers a JSON array: the last element's timings count. For a status
/// other than 200 the error message is the first string at `error.message`, `error`,
/// `message` or `detail`.
///
/// Memory is bounded whatever the answer: one line of at most ``lineLimit`` bytes (a
/// longer line is skipped) or the plain body up to ``plainLimit`` (a longer one is not
/// parsed).
public struct AnswerTokenParser: Sendable {
    /// Longest event-stream line kept for parsing.
    public static let lineLimit = 1 << 20
    /// Longest plain body kept for parsing.
    public static let plainLimit = 8 << 20
    /// Longest error message kept.
    static let errorMessageLimit = 500

    private let isEventStream: Bool
    private let status: Int
    private var line: [UInt8] = []
    private var skippingLine = false
    private var plain: [UInt8] = []
    private var plainOverflowed = false
    private var counts = Counts()

    /// What was read from an answer.
    public struct Result: Sendable, Equatable {
        /// The counts and speeds.
        public var tokens: TokenUsage
        /// `prompt_ms + predicted_ms` of llama.cpp's timings, when reported.
        public var reportedDuration: Duration?
        /// The error's message, for a status other than 200 whose body names one.
        public var errorMessage: String?
    }

    private struct Counts: Sendable {
        var input = -1
        var output = -1
        var cached = -1
        var timings: [String: JSONValue]?
        var metrics: [String: JSONValue]?
        var errorMessage: String?
    }

    /// A parser for an answer with `status` and `contentType`.
    public init(status: Int, contentType: String) {
        self.status = status
        self.isEventStream = contentType.lowercased().hasPrefix("text/event-stream")
    }

    /// Reads the next chunk of the body.
    public mutating func consume(_ bytes: some Collection<UInt8>) {
        if isEventStream {
            scanLines(bytes)
        } else if !plainOverflowed {
            if plain.count + bytes.count > Self.plainLimit {
                plainOverflowed = true
                plain = []
            } else {
                plain.append(contentsOf: bytes)
            }
        }
    }

    /// The counts of the whole answer, after its last chunk.
    public mutating func finish() -> Result {
        if isEventStream {
            if !line.isEmpty, !skippingLine { handleLine(line) }
            line = []
        } else if !plain.isEmpty, !plainOverflowed, let json = try? JSONValue(parsing: plain) {
            read(json, topLevel: true)
        }
        plain = []
        return result()
    }

    // MARK: lines

    private mutating func scanLines(_ bytes: some Collection<UInt8>) {
        var start = bytes.startIndex
        while start != bytes.endIndex {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                append(bytes[start...])
                return
            }
            append(bytes[start..<newline])
            if !skippingLine { handleLine(line) }
            line.removeAll(keepingCapacity: line.capacity <= 64 << 10)
            skippingLine = false
            start = bytes.index(after: newline)
        }
    }

    private mutating func append(_ part: some Collection<UInt8>) {
        guard !skippingLine else { return }
        if line.count + part.count > Self.lineLimit {
            skippingLine = true
            line = []
        } else {
            line.append(contentsOf: part)
        }
    }

    private mutating func handleLine(_ line: [UInt8]) {
        var bytes = line[...]
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        guard bytes.starts(with: Self.dataPrefix) else { return }
        bytes = bytes.dropFirst(Self.dataPrefix.count)
        while bytes.first == UInt8(ascii: " ") { bytes = bytes.dropFirst() }
        guard bytes.first == UInt8(ascii: "{"),
            Self.mentionsAny(bytes, of: status == 200 ? Self.countKeys : Self.countKeys + [Self.errorKey])
        else { return }
        guard let json = try? JSONValue(parsing: Array(bytes)) else { return }
        read(json, topLevel: false)
    }

    private static let dataPrefix = Array("data:".utf8)
    private static let countKeys = [Array("usage".utf8), Array("timings".utf8), Array("metrics".utf8)]
    private static let errorKey = Array("error".utf8)

    /// Whether `bytes` contains one of `needles` (a cheap test before a JSON parse: most
    /// events of a stream carry only text).
    private static func mentionsAny(_ bytes: ArraySlice<UInt8>, of needles: [[UInt8]]) -> Bool {
        needles.contains { needle in
            var index = bytes.startIndex
            while let found = bytes[index...].firstIndex(of: needle[0]) {
                if bytes[found...].starts(with: needle) { return true }
                index = bytes.index(after: found)
            }
            return false
        }
    }

    // MARK: reading values

    private mutating func read(_ json: JSONValue, topLevel: Bool) {
        switch json {
        case .array(let items):
            // `/infill`: one object per input; the last one's timings count.
            if let last = items.last { read(last, topLevel: topLevel) }
        case .object(let fields):
            if case .object(let usage)? = fields["usage"] { readUsage(usage) }
            if case .object(let response)? = fields["response"], case .object(let usage)? = response["usage"] {
                readUsage(usage)
            }
            if case .object(let message)? = fields["message"], case .object(let usage)? = message["usage"] {
                readUsage(usage)
            }
            if case .object(let timings)? = fields["timings"] { counts.timings = timings }
            if case .object(let metrics)? = fields["metrics"] { counts.metrics = metrics }
            if status != 200, counts.errorMessage == nil { counts.errorMessage = Self.errorMessage(in: fields) }
        default:
            break
        }
    }

    private mutating func readUsage(_ usage: [String: JSONValue]) {
        if let value = Self.int(usage["prompt_tokens"]) ?? Self.int(usage["input_tokens"]) { counts.input = value }
        if let value = Self.int(usage["completion_tokens"]) ?? Self.int(usage["output_tokens"]) {
            counts.output = value
        }
        let cached =
            Self.int(usage["cache_read_input_tokens"]) ?? Self.int(usage["input_tokens_details"]?["cached_tokens"])
            ?? Self.int(usage["prompt_tokens_details"]?["cached_tokens"])
        if let cached { counts.cached = cached }
    }

    private static func errorMessage(in fields: [String: JSONValue]) -> String? {
        let candidates = [fields["error"]?["message"], fields["error"], fields["message"], fields["detail"]]
        for case .string(let text)? in candidates where !text.isEmpty {
            return String(text.prefix(errorMessageLimit))
        }
        return nil
    }

    private static func int(_ value: JSONValue?) -> Int? {
        switch value {
        case .integer(let number)?: number
        case .double(let number)? where number.isFinite && abs(number) < 1e15: Int(number)
        default: nil
        }
    }

    private static func double(_ value: JSONValue?) -> Double? { value?.numberValue }

    private func result() -> Result {
        var tokens = TokenUsage(input: counts.input, output: counts.output, cached: counts.cached)
        var reported: Duration?
        if let metrics = counts.metrics {
            let speculative = metrics["speculative_decoding"]
            if let drafted = Self.int(speculative?["num_draft_tokens"]) { tokens.draft = drafted }
            if let accepted = Self.int(speculative?["num_accepted_draft_tokens"]) { tokens.draftAccepted = accepted }
            if let ttft = Self.double(metrics["time_to_first_token_ms"]), ttft > 0, tokens.input >= 0 {
                tokens.promptPerSecond = Double(tokens.input - max(tokens.cached, 0)) / (ttft / 1000)
            }
            if let itl = Self.double(metrics["mean_itl_ms"]), itl > 0 { tokens.tokensPerSecond = 1000 / itl }
        }
        if let timings = counts.timings {
            if let value = Self.int(timings["prompt_n"]) { tokens.input = value }
            if let value = Self.int(timings["predicted_n"]) { tokens.output = value }
            if let value = Self.int(timings["cache_n"]) { tokens.cached = value }
            if let value = Self.double(timings["prompt_per_second"]) { tokens.promptPerSecond = value }
            if let value = Self.double(timings["predicted_per_second"]) { tokens.tokensPerSecond = value }
            if let value = Self.int(timings["draft_n"]) { tokens.draft = value }
            if let value = Self.int(timings["draft_n_accepted"]) { tokens.draftAccepted = value }
            let prompt = Self.double(timings["prompt_ms"]) ?? 0
            let predicted = Self.double(timings["predicted_ms"]) ?? 0
            if prompt + predicted > 0 { reported = .microseconds(Int64((prompt + predicted) * 1000)) }
        }
        return Result(tokens: tokens, reportedDuration: reported, errorMessage: counts.errorMessage)
    }
}

extension JSONValue {
    fileprivate subscript(key: String) -> JSONValue? {
        guard case .object(let fields) = self else { return nil }
        return fields[key]
    }
}
