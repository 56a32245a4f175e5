import ConfigLang
import Foundation
import SwapTestSupport
import Synchronization
import Testing

@testable import Runtime

/// The pure parts of the activity: the token parser, queries, histograms, the memory
/// window and the SQLite file, the start cause the scheduler's machine reports.
struct ActivityUnitTests {
    /// Feeds `text` to a parser in chunks of `size` bytes.
    static func parse(_ text: String, status: Int = 200, contentType: String, chunk size: Int = .max)
        -> AnswerTokenParser.Result
    {
        var parser = AnswerTokenParser(status: status, contentType: contentType)
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            parser.consume(bytes[start..<end])
            start = end
        }
        return parser.finish()
    }

    static let openAIStream = """
        data: {"choices":[{"delta":{"content":"a"}}]}

        data: {"choices":[{"delta":{"content":"b"}}]}

        data: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":22,"prompt_tokens_details":{"cached_tokens":5}}}

        data: [DONE]


        """

    @Test("OpenAI stream: usage of the last chunk, whole or split into 1- and 7-byte chunks")
    func openAIStreamUsage() {
        for size in [Int.max, 1, 7] {
            let result = Self.parse(Self.openAIStream, contentType: "text/event-stream; charset=utf-8", chunk: size)
            #expect(result.tokens == TokenUsage(input: 11, output: 22, cached: 5), "chunks of \(size)")
        }
    }

    @Test("llama.cpp timings override usage and give speeds, drafts and the reported duration; CRLF lines")
    func llamaTimings() {
        let stream =
            "data: {\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2}}\r\n\r\n"
            + "data: {\"timings\":{\"prompt_n\":30,\"predicted_n\":40,\"cache_n\":236,\"prompt_per_second\":32.5,"
            + "\"predicted_per_second\":52.9,\"prompt_ms\":1000,\"predicted_ms\":1500,\"draft_n\":9,"
            + "\"draft_n_accepted\":7}}\r\n\r\n"
        let result = Self.parse(stream, contentType: "text/event-stream", chunk: 5)
        #expect(
            result.tokens
                == TokenUsage(
                    input: 30, output: 40, cached: 236, draft: 9, draftAccepted: 7, promptPerSecond: 32.5,
                    tokensPerSecond: 52.9))
        #expect(result.reportedDuration == .milliseconds(2500))
    }

    @Test("Responses API: response.usage with cached input tokens, in a stream and in a plain body")
    func responsesUsage() {
        let usage = #"{"input_tokens":8,"output_tokens":3,"input_tokens_details":{"cached_tokens":2}}"#
        let stream = """
            event: response.output_text.delta
            data: {"type":"response.output_text.delta","delta":"x"}

            event: response.completed
            data: {"type":"response.completed","response":{"usage":\(usage)}}


            """
        #expect(
            Self.parse(stream, contentType: "text/event-stream").tokens == TokenUsage(input: 8, output: 3, cached: 2))
        let plain = #"{"object":"response","usage":"# + usage + "}"
        #expect(Self.parse(plain, contentType: "application/json").tokens == TokenUsage(input: 8, output: 3, cached: 2))
    }

    @Test("Anthropic: message.usage at the start, usage.output_tokens in message_delta")
    func anthropicUsage() {
        let stream = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":12,"output_tokens":1,"cache_read_input_tokens":4}}}

            event: content_block_delta
            data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"hi"}}

            event: message_delta
            data: {"type":"message_delta","usage":{"output_tokens":9}}


            """
        #expect(
            Self.parse(stream, contentType: "text/event-stream", chunk: 3).tokens
                == TokenUsage(input: 12, output: 9, cached: 4))
    }

    @Test("vLLM metrics: drafts, prompt speed from time to first token, generation speed from inter-token latency")
    func vllmMetrics() {
        let body = """
            {"usage":{"prompt_tokens":110,"completion_tokens":50,"prompt_tokens_details":{"cached_tokens":10}},
             "metrics":{"speculative_decoding":{"num_draft_tokens":20,"num_accepted_draft_tokens":15},
                        "time_to_first_token_ms":200,"mean_itl_ms":25}}
            """
        let tokens = Self.parse(body, contentType: "application/json").tokens
        #expect(
            tokens
                == TokenUsage(
                    input: 110, output: 50, cached: 10, draft: 20, draftAccepted: 15, promptPerSecond: 500,
                    tokensPerSecond: 40))
    }

    @Test("/infill: the last element's timings count")
    func infillArray() {
        let body = #"[{"timings":{"prompt_n":1,"predicted_n":2}},{"timings":{"prompt_n":3,"predicted_n":4}}]"#
        let tokens = Self.parse(body, contentType: "application/json").tokens
        #expect(tokens.input == 3 && tokens.output == 4)
    }

    @Test("error message of a non-200: error.message, error, message, detail; at most 500 characters")
    func errorMessageRules() {
        #expect(
            Self.parse(#"{"error":{"message":"boom"}}"#, status: 500, contentType: "application/json").errorMessage
                == "boom")
        #expect(Self.parse(#"{"error":"flat"}"#, status: 400, contentType: "application/json").errorMessage == "flat")
        #expect(Self.parse(#"{"detail":"why"}"#, status: 422, contentType: "application/json").errorMessage == "why")
        let long = String(repeating: "x", count: 900)
        #expect(
            Self.parse(#"{"message":"\#(long)"}"#, status: 503, contentType: "application/json").errorMessage?.count
                == 500)
        #expect(Self.parse(#"{"error":{"message":"ignored"}}"#, contentType: "application/json").errorMessage == nil)
        let stream = "data: {\"error\":{\"message\":\"mid-stream\"}}\n\n"
        #expect(Self.parse(stream, status: 500, contentType: "text/event-stream").errorMessage == "mid-stream")
    }

    @Test("a line longer than the bound is skipped whole, the lines after it still count")
    func hugeLineSkipped() {
        var parser = AnswerTokenParser(status: 200, contentType: "text/event-stream")
        let filler = [UInt8](repeating: UInt8(ascii: "a"), count: 256 << 10)
        // 3 MiB of one `data:` line that mentions usage, in 256 KiB chunks: never parsed.
        parser.consume(Array("data: {\"usage\":{\"prompt_tokens\":999},\"x\":\"".utf8))
        for _ in 0..<12 { parser.consume(filler) }
        parser.consume(Array("\"}\n\ndata: {\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":5}}\n\n".utf8))
        #expect(parser.finish().tokens == TokenUsage(input: 4, output: 5))
    }

    @Test("a plain body over the bound is not parsed; a body cut before its end reads what it can")
    func plainBounds() {
        var parser = AnswerTokenParser(status: 200, contentType: "application/json")
        parser.consume(Array(#"{"usage":{"prompt_tokens":1},"pad":""#.utf8))
        parser.consume([UInt8](repeating: UInt8(ascii: "b"), count: AnswerTokenParser.plainLimit))
        parser.consume(Array(#""}"#.utf8))
        #expect(parser.finish().tokens == TokenUsage())
        #expect(Self.parse(#"{"usage":{"prompt_tokens":1"#, contentType: "application/json").tokens == TokenUsage())
    }

    // MARK: queries and stats

    /// The `id` of a JSON row.
    static func id(_ row: JSONValue) -> Int? {
        guard case .object(let fields) = row, case .integer(let id)? = fields["id"] else { return nil }
        return id
    }

    static func record(_ id: Int, model: String = "m", input: Int = 10, speed: Double = -1, seconds: Double = 0)
        -> ActivityRecord
    {
        ActivityRecord(
            id: id, timestamp: Date(timeIntervalSince1970: 1_800_000_000 + seconds), model: model,
            path: "/v1/chat/completions", status: 200, contentType: "application/json",
            tokens: TokenUsage(input: input, output: 2 * input, tokensPerSecond: speed), duration: .milliseconds(id))
    }

    @Test("activity query: 400 messages name the parameter")
    func queryErrors() {
        for (name, value) in [
            ("limit", "0"), ("limit", "1000"), ("limit", "x"), ("page", "0"), ("sort", "speed"), ("order", "up"),
            ("start", "yesterday"), ("min_id", "-1"),
        ] {
            #expect {
                _ = try ActivityQuery([(name, value)])
            } throws: { error in
                (error as? ActivityQuery.Invalid)?.message.contains("`\(name)`") == true
            }
        }
    }

    @Test("activity query: filters, sort, order and paging")
    func queryPage() throws {
        let records = (1...10).map {
            Self.record($0, model: $0 % 2 == 0 ? "even" : "odd", input: 100 - $0, seconds: Double($0))
        }
        let query = try ActivityQuery([
            ("model", "even"), ("sort", "prompt"), ("order", "asc"), ("limit", "2"), ("page", "2"), ("min_id", "3"),
            ("end", "2027-01-15T08:00:09Z"),
        ])
        guard case .object(let page) = query.page(of: records), case .array(let rows)? = page["data"] else {
            Issue.record("a page object")
            return
        }
        // even ids 4, 6, 8 (10 is after `end`), by prompt ascending: 8, 6, 4; page 2 of size 2: [4].
        #expect(rows.map(Self.id) == [4])
        #expect(page["total"] == .integer(3))
        #expect(page["total_pages"] == .integer(2))
        let defaults = try ActivityQuery([])
        guard case .object(let first) = defaults.page(of: records), case .array(let all)? = first["data"] else {
            return
        }
        #expect(all.count == 10)
        #expect(all.first.flatMap(Self.id) == 10, "id desc")
    }

    @Test("stats: totals of positive values; Sturges bins within 5…20; one value, one bin of size 0; percentiles")
    func statsHistogram() {
        let records = (1...8).map { Self.record($0, speed: Double($0) * 10) } + [Self.record(9, input: -1)]
        guard case .object(let stats) = ActivityStats.json(records, model: nil),
            case .object(let histogram)? = stats["gen_histogram"], case .array(let bins)? = histogram["bins"]
        else {
            Issue.record("stats with a histogram")
            return
        }
        #expect(stats["total_requests"] == .integer(9))
        #expect(stats["total_input_tokens"] == .integer(80))
        #expect(bins.count == 5, "⌈log2 8⌉ + 1 = 4, raised to 5")
        #expect(bins.reduce(0) { if case .integer(let n) = $1 { $0 + n } else { $0 } } == 8)
        #expect(histogram["p50"] == .double(45))
        #expect(stats["prompt_histogram"] == .null, "no prompt speed reported")
        #expect(
            ActivityStats.histogram([7, 7, 7])
                == .object([
                    "bins": .array([.integer(3)]), "min": .double(7), "max": .double(7), "binSize": .double(0),
                    "p50": .double(7), "p95": .double(7), "p99": .double(7),
                ]))
    }

    @Test("X-Swap-Lock-Changes is ASCII: other characters are JSON escapes")
    func lockHeaderASCII() throws {
        let changes = [
            LockChange(key: "stop", sent: "\"ü→\"", forwarded: nil, action: "strip", declaredAt: "a.yaml:1:2")
        ]
        let header = ActivityJSON.lockChangesHeader(changes)
        #expect(header.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(try JSONValue(parsing: Array(header.utf8)) == ActivityJSON.lockChanges(changes))
    }

    // MARK: storage

    @Test("memory window keeps the newest metricsMaxInMemory records")
    func memoryWindow() async {
        let history = ActivityHistory(maxInMemory: 3, database: nil, log: { _ in })
        for id in 1...200 { history.finished(Self.record(id)) }
        #expect(history.records().map(\.id) == [198, 199, 200])
        #expect(history.lastID == 200)
    }

    @Test("SQLite file: records written by the writer task read back after reopening, in WAL mode, retention bound")
    func sqliteRoundTrip() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("activity.db").path
            var written = Self.record(1, model: "a")
            written.timeToFirstByte = .milliseconds(12)
            written.queued = .milliseconds(340)
            written.startCause = .swap(evicted: ["b", "c"])
            written.sessionID = "s-1"
            written.lockChanges = [
                LockChange(key: "t", sent: "1.5", forwarded: "0", action: "set", declaredAt: "x:1:2")
            ]
            written.errorMessage = "none"
            written.metadata = .object(["selector": .string("s")])
            do {
                let database = try ActivityDatabase(path: path, retention: 3)
                let history = ActivityHistory(maxInMemory: 10, database: database, log: { _ in })
                history.finished(written)
                for id in 2...5 { history.finished(Self.record(id)) }
                await history.close()
                #expect(FileManager.default.fileExists(atPath: path + "-wal"), "WAL journal")
                #expect(try database.count() == 3, "retention keeps 3 rows")
            }
            let reopened = try ActivityDatabase(path: path, retention: 3)
            #expect(try reopened.lastID() == 5)
            let history = ActivityHistory(maxInMemory: 10, database: reopened, log: { _ in })
            #expect(history.records().map(\.id) == [3, 4, 5])
            let database = try ActivityDatabase(path: path, retention: 100)
            try database.insert([written])
            let back = try database.newest(10).first { $0.id == 1 }
            #expect(back == written)
        }
    }

    @Test("a database that fills up mid-run is reported once; the history goes on in memory")
    func databaseFull() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let database = try ActivityDatabase(path: directory.appendingPathComponent("full.db").path)
            let lines = Mutex<[String]>([])
            let history = ActivityHistory(
                maxInMemory: 2000, database: database, log: { line in lines.withLock { $0.append(line) } })
            try database.limit(pages: 8)
            for id in 1...1500 { history.finished(Self.record(id)) }
            await history.close()
            let logged = lines.withLock { $0 }
            #expect(logged.count == 1, "\(logged)")
            #expect(logged.first?.contains("full") == true, "\(logged)")
            #expect(history.records().count == 1500)
            #expect(try database.count() < 1500)
        }
    }

    @Test("a store path that cannot be written fails to open with SQLite's reason")
    func unwritablePath() {
        #expect(throws: (any Error).self) { _ = try ActivityDatabase(path: "/proc/swap-no-such-dir/activity.db") }
    }

    // MARK: scheduler

    @Test("the state machine tells which request started its model and which it swapped out")
    func admissionEffect() {
        var m = SchedulerStateMachineTests.machine(SchedulerStateMachineTests.single)
        let r = SchedulerStateMachineTests.r
        let at = SchedulerStateMachineTests.at
        #expect(m.requestArrived(id: r(1), model: "a", priority: 0, now: at(0)) == [.startBackend("a")])
        _ = m.requestArrived(id: r(2), model: "a", priority: 0, now: at(0))
        _ = m.backendReady(model: "a", now: at(1))
        #expect(m.admission(of: r(1)) == AdmissionEffect(started: true))
        #expect(m.admission(of: r(2)) == AdmissionEffect(), "queued behind the start, did not cause it")
        _ = m.requestFinished(id: r(1), now: at(2))
        _ = m.requestFinished(id: r(2), now: at(2))
        #expect(m.requestArrived(id: r(3), model: "b", priority: 0, now: at(3)) == [.stopBackend("a")])
        #expect(m.backendStopped(model: "a", now: at(4)) == [.startBackend("b")])
        #expect(m.backendReady(model: "b", now: at(5)) == [.admit(r(3))])
        #expect(m.admission(of: r(3)) == AdmissionEffect(started: true, evicted: ["a"]))
        #expect(m.admission(of: r(3)) == AdmissionEffect(), "handed out once")
        #expect(m.requestArrived(id: r(4), model: "b", priority: 0, now: at(6)) == [.admit(r(4))])
        #expect(m.admission(of: r(4)) == AdmissionEffect())
    }
}
