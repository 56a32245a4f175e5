import FoundationEssentials
import Testing

@testable import Runtime

/// `/metrics` families counted from activity records and backend events, read back from
/// the registry's exposition text: no server, no clock.
struct MetricsTests {
    /// The value of the sample `series` (name and labels, exactly as exposed), or nil.
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    static func state(
        models: [String] = ["coder"], config: ConfigStatus? = nil, memory: [String: ModelMemory] = [:],
        answered: [String: [Int: Int]] = [:]
    ) -> SwapMetrics.State {
        SwapMetrics.State(
            models: models,
            config: config
                ?? ConfigStatus(
                    planHash: "abc", loadedAt: "now",
                    lastAttempt: .init(at: "now", trigger: "startup", success: true, sourceHash: "abc", diagnostics: [])
                ),
            activity: [:], spawns: [:], memory: memory, answered: answered)
    }

    static func record(
        model: String = "coder", path: String = "/v1/chat/completions", status: Int = 200,
        tokens: TokenUsage = TokenUsage(), duration: Duration = .milliseconds(1200),
        firstByte: Duration? = .milliseconds(90), queued: Duration = .milliseconds(400)
    ) -> ActivityRecord {
        ActivityRecord(
            timestamp: Date(), model: model, path: path, status: status, contentType: "application/json",
            tokens: tokens, duration: duration, timeToFirstByte: firstByte, queued: queued)
    }

    @Test("a record counts its request by endpoint and status, its tokens, and its latencies")
    func requestRecord() {
        let metrics = SwapMetrics(version: "9.9.9", build: BuildInfo(commit: "abc1234", date: "2026-12-07T00:00:00Z"))
        metrics.requests.finished(
            Self.record(tokens: TokenUsage(input: 120, output: 35, cached: 100, draft: 8, draftAccepted: 6)))
        metrics.requests.finished(Self.record(tokens: TokenUsage(input: 5, output: -1)))
        let text = metrics.exposition(Self.state())
        let labels = #"{model="coder",endpoint="/v1/chat/completions",status="200"}"#
        #expect(Self.value(text, "swap_requests_total" + labels) == 2)
        #expect(Self.value(text, #"swap_model_prompt_tokens_total{model="coder"}"#) == 125)
        #expect(Self.value(text, #"swap_model_generation_tokens_total{model="coder"}"#) == 35, "-1 adds nothing")
        #expect(Self.value(text, #"swap_model_cached_prompt_tokens_total{model="coder"}"#) == 100)
        #expect(Self.value(text, #"swap_model_draft_tokens_total{model="coder"}"#) == 8)
        #expect(Self.value(text, #"swap_model_draft_accepted_tokens_total{model="coder"}"#) == 6)
        let ttft = "swap_model_time_to_first_token_seconds"
        #expect(Self.value(text, ttft + #"_bucket{model="coder",le="0.08"}"#) == 0)
        #expect(Self.value(text, ttft + #"_bucket{model="coder",le="0.1"}"#) == 2, "90 ms falls in the 0.1 s bucket")
        #expect(Self.value(text, ttft + #"_count{model="coder"}"#) == 2)
        let e2e = "swap_model_e2e_request_latency_seconds"
        #expect(Self.value(text, e2e + #"_bucket{model="coder",le="1.0"}"#) == 0)
        #expect(Self.value(text, e2e + #"_bucket{model="coder",le="1.5"}"#) == 2)
        #expect(Self.value(text, e2e + #"_sum{model="coder"}"#) == 2.4)
        let queue = "swap_model_request_queue_time_seconds"
        #expect(Self.value(text, queue + #"_bucket{model="coder",le="0.5"}"#) == 2)
        #expect(Self.value(text, #"swap_build_info{version="9.9.9",commit="abc1234"}"#) == 1)
        let names = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map {
            $0.prefix { $0 != "{" && $0 != " " }
        }
        #expect(!names.isEmpty && names.allSatisfy { !$0.contains(":") }, "no colon in any name")
    }

    @Test("rejections count by cause, under model=\"\" when no model was resolved; a 502 is no rejection")
    func rejections() {
        let metrics = SwapMetrics()
        for status in [400, 404, 404, 413, 429, 502] {
            metrics.requests.finished(Self.record(model: status == 429 ? "coder" : "", status: status, firstByte: nil))
        }
        metrics.rejected(.unauthorized)
        let text = metrics.exposition(Self.state())
        let name = "swap_model_requests_rejected_total"
        #expect(Self.value(text, name + #"{model="",cause="bad_request"}"#) == 1)
        #expect(Self.value(text, name + #"{model="",cause="unknown_model"}"#) == 2)
        #expect(Self.value(text, name + #"{model="",cause="body_too_large"}"#) == 1)
        #expect(Self.value(text, name + #"{model="coder",cause="over_limit"}"#) == 1)
        #expect(Self.value(text, name + #"{model="",cause="unauthorized"}"#) == 1)
        #expect(text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }.count == 5)
        #expect(Self.value(text, #"swap_requests_total{model="",endpoint="/v1/chat/completions",status="404"}"#) == 2)
        #expect(!text.contains(#"swap_model_request_queue_time_seconds_count{model=""}"#), "no queue without a model")
    }

    @Test("passthrough paths share one endpoint label; unknown paths are `other`")
    func endpoints() {
        #expect(RequestMetrics.endpoint("/v1/embeddings") == "/v1/embeddings")
        #expect(RequestMetrics.endpoint("/upstream/coder/slots/0?action=save") == "/upstream")
        #expect(RequestMetrics.endpoint("/props") == "/props")
        #expect(RequestMetrics.endpoint("/weird") == "other")
    }

    @Test("backend events: loads by result with their duration, crashes, unloads by reason")
    func backendEvents() {
        let metrics = SwapMetrics()
        metrics.backends.record(.loaded(model: "coder", duration: .milliseconds(700)))
        metrics.backends.record(.loadFailed(model: "coder"))
        metrics.backends.record(.crashed(model: "coder"))
        for reason in UnloadReason.allCases { metrics.backends.record(.unloaded(model: "coder", reason: reason)) }
        metrics.backends.record(.unloaded(model: "coder", reason: .ttl))
        let text = metrics.exposition(Self.state())
        #expect(Self.value(text, #"swap_model_loads_total{model="coder",result="success"}"#) == 1)
        #expect(Self.value(text, #"swap_model_loads_total{model="coder",result="failure"}"#) == 1)
        #expect(Self.value(text, #"swap_model_load_seconds_bucket{model="coder",le="0.8"}"#) == 1)
        #expect(Self.value(text, #"swap_model_load_seconds_bucket{model="coder",le="0.5"}"#) == 0)
        #expect(Self.value(text, #"swap_model_crashes_total{model="coder"}"#) == 1)
        #expect(Self.value(text, #"swap_model_unloads_total{model="coder",reason="ttl"}"#) == 2)
        for reason in ["swap", "reload", "api", "crash", "shutdown"] {
            #expect(Self.value(text, #"swap_model_unloads_total{model="coder",reason="\#(reason)"}"#) == 1)
        }
    }

    @Test("state figures: reloads by result (a failure is `failed`), plan info follows the plan, memory per model")
    func stateFigures() {
        let metrics = SwapMetrics()
        var config = ConfigStatus(
            planHash: "one", loadedAt: "t",
            lastAttempt: .init(at: "t", trigger: "api", success: false, sourceHash: "x", diagnostics: []))
        config.attempts = 6
        config.applied = 2
        config.unchanged = 1
        let memory = ["coder": ModelMemory(rssBytes: 4096, swapBytes: 1024, gpuBytes: nil)]
        var text = metrics.exposition(
            Self.state(models: ["coder", "embed"], config: config, memory: memory, answered: ["coder": [200: 3]]))
        #expect(Self.value(text, #"swap_config_reloads_total{result="applied"}"#) == 2)
        #expect(Self.value(text, #"swap_config_reloads_total{result="unchanged"}"#) == 1)
        #expect(Self.value(text, #"swap_config_reloads_total{result="failed"}"#) == 3)
        #expect(Self.value(text, "swap_config_last_reload_success") == 0)
        #expect(Self.value(text, #"swap_config_plan_info{hash="one"}"#) == 1)
        #expect(Self.value(text, #"swap_model_resident_memory_bytes{model="coder"}"#) == 4096)
        #expect(Self.value(text, #"swap_model_swap_memory_bytes{model="coder"}"#) == 1024)
        #expect(Self.value(text, #"swap_model_resident_memory_bytes{model="embed"}"#) == 0)
        #expect(!text.contains("swap_model_gpu_memory_bytes"), "no GPU figure without nvidia-smi")
        #expect(Self.value(text, #"swap_model_requests_total{model="coder",status="200"}"#) == 3)
        #expect((Self.value(text, "process_resident_memory_bytes") ?? 0) > 0)
        #expect((Self.value(text, "process_open_fds") ?? 0) > 0)
        #expect((Self.value(text, "process_start_time_seconds") ?? 0) > 1_700_000_000)

        config.planHash = "two"
        config.attempts = 7
        config.applied = 3
        text = metrics.exposition(Self.state(config: config, answered: ["coder": [200: 5]]))
        #expect(Self.value(text, #"swap_config_plan_info{hash="two"}"#) == 1)
        #expect(!text.contains(#"hash="one""#), "the old plan's series is gone")
        #expect(Self.value(text, #"swap_config_reloads_total{result="applied"}"#) == 3)
        #expect(Self.value(text, #"swap_model_requests_total{model="coder",status="200"}"#) == 5)
    }

    @Test("a counter read from a source keeps growing when the source starts again from 0")
    func sourceReset() {
        let metrics = SwapMetrics()
        func spawns(_ count: Int) -> Double? {
            var state = Self.state()
            state.spawns = ["coder": (count, nil)]
            return Self.value(metrics.exposition(state), #"swap_model_spawns_total{model="coder"}"#)
        }
        #expect(spawns(3) == 3)
        #expect(spawns(3) == 3)
        #expect(spawns(1) == 4, "a reload replaced the backend, which counts from 0 again")
        #expect(spawns(2) == 5)
    }

    @Test("rejection causes stand for their statuses and nothing else")
    func causes() {
        #expect([400, 401, 404, 413, 429].compactMap(RejectionCause.init(status:)) == RejectionCause.allCases)
        #expect(RejectionCause(status: 502) == nil && RejectionCause(status: 200) == nil)
    }
}

/// The JSON shapes of memory per model that `/running` and `/api/events` carry.
struct MemoryJSONTests {
    @Test("a `memory` event lists each running model by id, gpu_bytes null without nvidia-smi")
    func event() {
        let sample = [
            "b": ModelMemory(rssBytes: 2048, swapBytes: 0, gpuBytes: 1 << 30),
            "a": ModelMemory(rssBytes: 4096, swapBytes: 512, gpuBytes: nil),
        ]
        #expect(
            ManagementRoutes.memoryEvent(sample).serialized()
                == #"[{"gpu_bytes":null,"id":"a","rss_bytes":4096,"swap_bytes":512},"#
                + #"{"gpu_bytes":1073741824,"id":"b","rss_bytes":2048,"swap_bytes":0}]"#)
        #expect(ManagementRoutes.memoryEvent([:]) == .array([]))
    }
}
