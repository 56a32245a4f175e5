@testable import ConfigLang

/// A plan that sets every optional field and fills every collection at least once, with
/// awkward strings, keys and numbers, so that comparing renderers on it covers every
/// field of every plan type. `PlanDisplayTests` checks that it stays that way.
enum RichPlan {
    static let span = Span(
        file: "conf \"main\".yaml", start: .init(line: 3, column: 5), end: .init(line: 12, column: 40))

    static let locks = ParameterLocks(
        strip: ["logit_bias", "top_p"],
        defaults: [
            "temperature": .double(0.7), "top_k": .integer(40), "max": .double(4096), "neg": .double(-0.0),
            "huge": .double(1e20), "tiny": .double(.leastNonzeroMagnitude), "n": .null,
        ],
        set: [
            "stream_options": .object(["include_usage": .bool(true), "b": .array([.integer(1), .string("x\ty")])]),
            "stop": .array([.string("</s>"), .string("\u{1}\u{1F}\"\\")]), "empty": .object([:]), "none": .array([]),
        ],
        clamp: [
            "max_tokens": ClampRange(min: 1, max: 4096), "temperature": ClampRange(min: 0.1, max: 1.5),
            "open": ClampRange(max: -2),
        ])

    static let full: ModelPlan = {
        var model = fullFields
        model.sendLoadingState = true
        model.capabilities = ModelCapabilities(
            input: ["text", "image"], output: ["text"], tools: true, reranker: false, context: 32000)
        return model
    }()

    static let fullFields = ModelPlan(
        id: "qwen-coder",
        argvTemplate: ["/bin/llama-server", "--port", "${PORT}", "--alias=${PORT}${PORT}", "é${PORT}"],
        stopTemplate: ["kill", "-TERM", "${PID}"], env: ["CUDA_VISIBLE_DEVICES=0", "X=a b"],
        proxyTemplate: "http://127.0.0.1:${PORT}/v1", port: PortSlot(offline: 5801), checkEndpoint: "/health",
        ttl: 300, unloadTimeout: 10, concurrencyLimit: 4, aliases: ["coder", "qwen"], useModelName: "qwen2.5-coder",
        name: "Qwen \"Coder\"", description: "line one\nline two\u{7F}", unlisted: true,
        metadata: .object([
            "port": .integer(5801), "ratio": .double(1.0), "nested": .object(["list": .array([.null, .bool(false)])]),
            "1st": .string("digit first"), "with space": .string("quoted key"), "ünï": .string("unicode key"),
            "": .string("empty key"), "a:b": .string("colon"),
        ]),
        locks: locks, locksByRequestedID: ["qwen-coder:precise": ParameterLocks(set: ["temperature": .integer(0)])],
        lockProvenance: [
            "temperature": [
                LockOrigin(kind: "set", level: "global", span: span),
                LockOrigin(kind: "final", level: "group `coders`", span: .point("b.yaml", line: 1, column: 1)),
            ]
        ], group: "coders", processFingerprint: "0123456789abcdef", liveFingerprint: "fedcba9876543210",
        timeouts: ConnectionTimeouts(connect: 5, keepalive: 0, responseHeader: 600, tlsHandshake: 3, idleConn: 1))

    static let bare = ModelPlan(
        id: "embed", argvTemplate: ["/bin/embed", "--port", "9000"], stopTemplate: nil, env: [],
        proxyTemplate: "http://127.0.0.1:9000", port: nil, checkEndpoint: nil, ttl: 0, unloadTimeout: 5,
        concurrencyLimit: 10, aliases: [], useModelName: nil, name: nil, description: nil, unlisted: false,
        metadata: .null, locks: ParameterLocks(), locksByRequestedID: [:], lockProvenance: [:],
        group: GroupPlan.defaultName, processFingerprint: "1", liveFingerprint: "2")

    static let plan = Plan(
        sourceHash: "cbf29ce484222325",
        settings: PlanSettings(
            healthCheckTimeout: 120, globalTTL: 900, unloadTimeout: 10, startPort: 5800, includeAliasesInList: true,
            apiKeys: ["sk-secret-1", "sk-secret-2"], logLevel: "info", logToStdout: "proxy", drainTimeout: 30,
            upstreamIgnorePaths: ["^/props$"], logTimeFormat: "rfc3339", performanceEvery: 7.5,
            performanceDisabled: false, storePath: "/var/lib/swap/activity.db", metricsMaxInMemory: 500,
            captureBuffer: 5, sessionIDHeaders: ["X-Session-ID"]),
        models: ["qwen-coder": full, "embed": bare, "Zeta": bare],
        routing: RoutingPlan(
            engine: "matrix",
            groups: [
                GroupPlan(name: "coders", swap: true, exclusive: false, persistent: true, members: ["qwen-coder"]),
                GroupPlan(name: GroupPlan.defaultName, swap: true, exclusive: true, persistent: false, members: []),
            ],
            matrixSets: [["qwen-coder", "embed"], ["embed"], []], evictCosts: ["qwen-coder": 3, "embed": 1],
            priorities: ["qwen-coder": 10, "embed": -1]),
        names: ["qwen-coder": "qwen-coder", "coder": "qwen-coder", "qwen": "qwen-coder", "embed": "embed"],
        peers: [
            "openrouter": PeerPlan(
                proxy: "https://openrouter.ai/api", models: ["gpt-x"], apiKey: "sk-or-secret",
                locks: ParameterLocks(strip: ["seed"], set: ["temperature": .double(0.2)]),
                timeouts: ConnectionTimeouts(connect: 2, responseHeader: 120)),
            "lan": PeerPlan(proxy: "http://10.0.0.2:8080", models: [], apiKey: nil),
        ],
        selectors: ["best": SelectorPlan(strategy: "warm", targets: ["qwen-coder", "openrouter/gpt-x"])],
        profiles: ["night": ProfilePlan(pins: ["coder": "embed", "qwen": nil], description: "Small models at night")],
        preload: ["embed"])
}
