import Foundation
import Testing

@testable import ConfigLang

/// The plan stage: argv, `${PORT}`, proxy, locks and fingerprints.
struct PlanTests {
    static func compile(_ yaml: String, environment: [String: String] = [:]) -> PlanBuilder.Result {
        PlanBuilder.compile([SourceFile(name: "t.yaml", text: yaml)], environment: environment)
    }

    static func corpusPlan(_ file: String) throws -> Plan {
        let url = TestPaths.corpus.appendingPathComponent(file)
        let result = PlanBuilder.compile(
            [SourceFile(name: file, bytes: try TestPaths.bytes(url))], environment: ProcessInfo.processInfo.environment)
        return try #require(
            result.plan, "\(file): \(result.diagnostics.filter { $0.severity == .error }.map(\.message))")
    }

    // Expectations written by hand from llama-swap's rules (sorted model IDs get ports
    // from startPort 5800; folded `>` blocks join lines with spaces; the default proxy is
    // http://localhost:${PORT}) for corpus files 02 and 04.
    @Test(
        "corpus subset 02 and 04: argv, port and proxy as llama-swap would produce",
        .enabled(if: TestPaths.corpusExists || TestPaths.isCI, "corpus not found"))
    func corpusSubset() throws {
        let harbor = try Self.corpusPlan("02-acerspyro-beellama-stack.yaml")
        let gemma = try #require(harbor.models["gemma-tools"])
        #expect(gemma.port?.offline == 5800)
        #expect(harbor.models["qwen-logic"]?.port?.offline == 5801)
        #expect(
            gemma.argv(port: 5800) == [
                "llama-server", "-hf", "unsloth/gemma-4-26B-A4B-it-GGUF:Q5_K_XL", "--port", "5800", "--flash-attn",
                "auto", "-c", "32768", "--no-mmproj-offload", "--no-mmap", "-fitt", "2000", "--n-cpu-moe", "15",
                "--cache-type-k", "turbo4", "--cache-type-v", "turbo4", "--reasoning", "off",
            ])
        #expect(gemma.proxy(port: 5800) == "http://localhost:5800")
        #expect(gemma.ttl == 300)

        let local = try Self.corpusPlan("04-altpsyche-local-llm.yaml")
        #expect(
            local.models.mapValues { $0.port?.offline } == [
                "chat": 5800, "coder": 5801, "embed": 5802, "fim": 5803, "planner": 5804,
            ])
        let chat = try #require(local.models["chat"])
        #expect(
            chat.argv(port: 5800) == [
                "C:/local-llm/bin/llama-server.exe", "--port", "5800", "-ngl", "99", "--flash-attn", "on", "-m",
                "C:/local-llm/models/qwen3-14b-q4_k_m.gguf", "-c", "16384", "--cache-type-k", "q8_0",
                "--cache-type-v", "q8_0",
            ])
        #expect(chat.locks.set == ["temperature": .double(0.7), "top_p": .double(0.9)])
        #expect(chat.group == "ondemand")
        #expect(local.models["fim"]?.group == GroupPlan.defaultName)
        #expect(local.models["embed"]?.ttl == 0)
    }

    @Test(
        "every corpus config marked compile produces a plan",
        .enabled(if: TestPaths.corpusExists || TestPaths.isCI, "corpus not found"),
        arguments: try CorpusTests.rows().filter { $0.expect == "compile" })
    func corpusPlans(_ row: CorpusTests.Row) throws {
        let url = TestPaths.corpus.appendingPathComponent(row.file)
        let result = PlanBuilder.compile(
            [SourceFile(name: row.file, bytes: try TestPaths.bytes(url))], environment: row.environment)
        #expect(
            result.plan != nil,
            "\(row.file): \(result.diagnostics.filter { $0.severity == .error }.map { "\($0.span.start.line):\($0.span.start.column) \($0.message)" })"
        )
    }

    @Test("upstream.ignorePaths: absent gives llama-swap's static-asset default, [] gives none, a list is kept")
    func ignorePathsDefault() throws {
        let model = "models:\n  m:\n    cmd: /bin/server --port ${PORT}\n"
        let absent = try ExampleDiffTests.plan(model).settings.upstreamIgnorePaths
        #expect(absent == [#".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$"#])
        let pattern = try Regex(absent?.first ?? "")
        #expect("/assets/app.js".contains(pattern) && !"/v1/chat/completions".contains(pattern))
        #expect(try ExampleDiffTests.plan("upstream: {ignorePaths: []}\n" + model).settings.upstreamIgnorePaths == nil)
        #expect(
            try ExampleDiffTests.plan("upstream: {ignorePaths: [\"^/ws$\"]}\n" + model).settings.upstreamIgnorePaths
                == ["^/ws$"])
    }

    @Test("a macro that is exactly ${name} keeps its type; ${MODEL_ID} and comment lines")
    func typedMacros() throws {
        let result = Self.compile(
            """
            macros:
              ctx: 4096
              base: "/bin/server --port ${PORT}"
            models:
              m1:
                macros:
                  ttl-seconds: 60
                cmd: |
                  # a comment line that llama-swap drops
                  ${base} --ctx ${ctx}
                  --alias ${MODEL_ID}
                ttl: ${ttl-seconds}
                metadata:
                  context: ${ctx}
                  note: "ctx=${ctx}"
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        let model = try #require(plan.models["m1"])
        #expect(model.argv(port: 5800) == ["/bin/server", "--port", "5800", "--ctx", "4096", "--alias", "m1"])
        #expect(model.ttl == 60)
        #expect(model.metadata == .object(["context": .integer(4096), "note": .string("ctx=4096")]))
    }

    @Test("global macros expanded once for all models still bind late, per model and per group")
    func sharedGlobalExpansions() throws {
        let result = Self.compile(
            """
            macros:
              ctx: 4096
              base: "/bin/server --port ${PORT} --ctx ${ctx}"
              named: "--alias ${MODEL_ID}"
              fixed: "--threads 8"
            groups:
              big:
                members: [g1]
                macros:
                  ctx: 65536
            models:
              plain:
                cmd: ${base} ${named} ${fixed}
              shadows:
                macros:
                  ctx: 1024
                cmd: ${base} ${named} ${fixed}
              g1:
                cmd: ${base} ${named} ${fixed}
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        let argv = { (id: String) in plan.models[id]?.argvTemplate ?? [] }
        #expect(
            argv("plain") == [
                "/bin/server", "--port", "${PORT}", "--ctx", "4096", "--alias", "plain", "--threads", "8",
            ])
        #expect(
            argv("shadows") == [
                "/bin/server", "--port", "${PORT}", "--ctx", "1024", "--alias", "shadows", "--threads", "8",
            ])
        #expect(
            argv("g1") == ["/bin/server", "--port", "${PORT}", "--ctx", "65536", "--alias", "g1", "--threads", "8"])
    }

    @Test("a global macro that only a model completes is expanded per model, and reported where it is missing")
    func globalMacroCompletedByModel() throws {
        let completed = """
            macros:
              base: "/bin/server --port ${PORT} --ctx ${ctx}"
            models:
              has:
                macros:
                  ctx: 2048
                cmd: ${base}

            """
        let result = Self.compile(completed + "  lacks:\n    cmd: ${base}\n")
        #expect(result.diagnostics.filter { $0.severity == .error }.map(\.code) == [.unknownMacro])
        let expanded = ConfigChecker.check([SourceFile(name: "t.yaml", text: completed)], environment: [:])
            .expandedModels
        #expect(expanded["has"]?["cmd"]?.scalar == "/bin/server --port ${PORT} --ctx 2048")
    }

    @Test("locks fold global → group → model with final, and apply strip → default → set → clamp")
    func lockFolding() throws {
        let result = Self.compile(
            """
            filters:
              stripParams: "logit_bias"
              clampParams:
                max_tokens: {max: 4096}
            groups:
              coders:
                members: [coder]
                filters:
                  setParams: {temperature: 0, top_k: 1}
                  final: [temperature]
            models:
              coder:
                cmd: /bin/server --port ${PORT}
                filters:
                  defaultParams: {top_p: 0.9}
                  setParamsByID:
                    "coder:creative": {top_k: 40}
              chat:
                cmd: /bin/server --port ${PORT}
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        let coder = try #require(plan.models["coder"])
        #expect(coder.locks.strip == ["logit_bias"])
        #expect(coder.locks.set == ["temperature": .integer(0), "top_k": .integer(1)])
        #expect(coder.locks.defaults == ["top_p": .double(0.9)])
        #expect(coder.locks.clamp["max_tokens"] == ClampRange(min: nil, max: 4096))
        #expect(coder.locksByRequestedID["coder:creative"]?.set["top_k"] == .integer(40))
        #expect(plan.names["coder:creative"] == "coder")
        #expect(
            coder.lockProvenance["temperature"]?.contains { $0.level == "group `coders`" && $0.kind == "final" } == true
        )
        #expect(plan.models["chat"]?.locks.set.isEmpty == true)

        let body = JSONValue.object([
            "model": .string("coder"), "temperature": .double(1.5), "logit_bias": .object([:]),
            "max_tokens": .integer(100_000),
        ])
        let applied = coder.locks.apply(to: body)
        #expect(
            applied
                == .object([
                    "model": .string("coder"), "temperature": .integer(0), "top_k": .integer(1),
                    "top_p": .double(0.9), "max_tokens": .integer(4096),
                ]))
    }

    @Test("lock errors: final overridden, set and strip together, model locked, bad clamp")
    func lockErrors() {
        let result = Self.compile(
            """
            groups:
              g:
                members: [m]
                filters:
                  setParams: {temperature: 0}
                  final: [temperature]
            models:
              m:
                cmd: /bin/server --port ${PORT}
                filters:
                  stripParams: "top_p, model"
                  setParams: {temperature: 1, top_p: 0.5}
                  clampParams:
                    max_tokens: {min: 10, max: 1}
            """)
        let found = Set(result.diagnostics.map { "\($0.code.rawValue) \($0.span.start.line):\($0.span.start.column)" })
        #expect(found.isSuperset(of: ["SL602 12:19", "SL601 11:21", "SL603 11:28", "SL604 14:9"]), "\(found)")
        let warnings = Set(result.diagnostics.filter { $0.severity == .warning }.map(\.code))
        #expect(warnings.isSuperset(of: [.setStripConflict, .protectedParameter]), "llama-swap loads these")
        #expect(result.plan == nil)
    }

    // llama-swap's proxy (filters.go, proxymanager) applies a model's filters as strip, then
    // setParams, then setParamsByID for the requested ID, so a value both stripped and set
    // reaches the backend with the set value.
    @Test("SL601: a parameter both stripped and set is sent with the set value; setParamsByID wins over both")
    func setWinsOverStrip() throws {
        let result = Self.compile(
            """
            models:
              m:
                cmd: /bin/server --port ${PORT}
                filters:
                  stripParams: "temperature, top_p"
                  setParams: {temperature: 0.7}
                  setParamsByID:
                    m-precise: {top_p: 0.3}
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        let conflict = try #require(result.diagnostics.first { $0.code == .setStripConflict })
        #expect(conflict.severity == .warning)
        #expect(conflict.span.start == SourceLocation(line: 5, column: 21))
        let model = try #require(plan.models["m"])
        let body = try JSONValue(
            parsing: Array(#"{"model":"m","temperature":1.5,"top_p":0.9,"seed":1}"#.utf8))
        #expect(
            model.locks.apply(to: body)
                == .object(["model": .string("m"), "temperature": .double(0.7), "seed": .integer(1)]))
        let precise = try #require(model.locksByRequestedID["m-precise"])
        #expect(
            precise.apply(to: body)
                == .object([
                    "model": .string("m"), "temperature": .double(0.7), "top_p": .double(0.3), "seed": .integer(1),
                ]))
    }

    @Test("values llama-swap loads and runs compile to a plan with warnings, read as llama-swap reads them")
    func lenientValues() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("examples/broken/90-loaded-as-llama-swap-loads.yaml")
        let result = PlanBuilder.compile(
            [SourceFile(name: "90.yaml", bytes: try TestPaths.bytes(url))], environment: [:])
        #expect(!result.diagnostics.isEmpty)
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning }, "\(result.diagnostics.map(\.message))")
        let plan = try #require(result.plan)
        #expect(plan.settings.logLevel == "info")
        #expect(plan.settings.healthCheckTimeout == 15)
        #expect(plan.preload.isEmpty)
        #expect(plan.models["qwen"]?.unlisted == true)
        #expect(plan.models["qwen"]?.concurrencyLimit == 10)
        #expect(plan.names["qwen"] == "qwen", "the model ID wins over llama's alias")
        #expect(plan.models.keys.sorted() == ["llama", "qwen"], "the second document is not read")
        #expect(Self.compile("logLevel: ' DEBUG'\nmodels: {}\n").plan?.settings.logLevel == "debug")
    }

    @Test("a model's `strip_params` (llama-swap's older spelling) strips when `stripParams` is empty")
    func legacyStripParams() throws {
        let result = Self.compile(
            """
            macros: {more: top_k}
            models:
              m:
                cmd: /bin/server --port ${PORT}
                filters:
                  strip_params: "model, ${more}"
              n:
                cmd: /bin/server --port ${PORT}
                filters:
                  stripParams: temperature
                  strip_params: top_p
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        #expect(plan.models["m"]?.locks.strip == ["top_k"])
        #expect(plan.models["n"]?.locks.strip == ["temperature"])
        #expect(result.diagnostics.map(\.code) == [.protectedParameter], "no unknown-key warning")
    }

    @Test("a negative responseHeader, keepalive or idleConn counts as 0 with a warning; a negative connect is an error")
    func negativeTimeouts() throws {
        let result = Self.compile(
            """
            models:
              m:
                cmd: /bin/server --port ${PORT}
                timeouts: {responseHeader: -1, keepalive: -5, idleConn: -2, connect: 5}
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        #expect(result.diagnostics.map(\.code) == [.valueRaised, .valueRaised, .valueRaised])
        #expect(result.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(
            plan.models["m"]?.timeouts
                == ConnectionTimeouts(connect: 5, keepalive: 0, responseHeader: 0, tlsHandshake: 10, idleConn: 0))
        let connect = Self.compile(
            "models:\n  m:\n    cmd: /bin/server --port ${PORT}\n    timeouts: {connect: -1}\n")
        #expect(connect.diagnostics.map(\.code) == [.outOfRange])
        #expect(connect.plan == nil)
    }

    @Test("stripParams naming `model` loads as llama-swap's does: a warning, and the other entries apply")
    func strippingModelIsAWarning() throws {
        let result = Self.compile(
            """
            models:
              m:
                cmd: /bin/server --port ${PORT}
                filters:
                  stripParams: "model, temperature"
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        #expect(plan.models["m"]?.locks.strip == ["temperature"])
        let warning = try #require(result.diagnostics.first { $0.code == .protectedParameter })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("swap ignores this entry"))
        #expect(warning.span.start == SourceLocation(line: 5, column: 21))
    }

    @Test("checkEndpoint must be a path starting with `/` or `none`, reported at the value")
    func checkEndpointShape() throws {
        let result = Self.compile(
            """
            models:
              a:
                cmd: /bin/server --port ${PORT}
                checkEndpoint: health
              b:
                cmd: /bin/server --port ${PORT}
                checkEndpoint: none
              c:
                cmd: /bin/server --port ${PORT}
                checkEndpoint: /v1/models
            """)
        let problems = result.diagnostics.filter { $0.severity == .error }
        #expect(problems.map(\.code) == [.invalidValue], "\(problems.map(\.message))")
        #expect(problems.first?.span.start == SourceLocation(line: 4, column: 20))
        #expect(result.plan == nil)
    }

    @Test("proxy with ${PORT} while cmd has none is an error; a fixed proxy is fine")
    func portRules() {
        let result = Self.compile(
            """
            models:
              a:
                cmd: /bin/server --port 9000
                proxy: http://127.0.0.1:${PORT}
              b:
                cmd: /bin/server --port 9001
                proxy: http://127.0.0.1:9001
            """)
        #expect(result.diagnostics.map(\.code) == [.portInProxyOnly])
        #expect(result.diagnostics.first?.span.start.line == 4)
    }

    @Test("diff: cmd change restarts, lock change applies live, adding a model renumbers no one")
    func diff() throws {
        let base = """
            models:
              b-old:
                cmd: /bin/server --port ${PORT} -m b.gguf
                filters:
                  setParams: {temperature: 0.2}
              c-other:
                cmd: /bin/server --port ${PORT} -m c.gguf
            """
        let old = try #require(Self.compile(base).plan)
        let live = try #require(Self.compile(base.replacingOccurrences(of: "0.2", with: "0.3")).plan)
        #expect(Plan.diff(from: old, to: live).applyLive == ["b-old"])
        #expect(Plan.diff(from: old, to: live).unchanged == ["c-other"])
        let restart = try #require(Self.compile(base.replacingOccurrences(of: "c.gguf", with: "c2.gguf")).plan)
        #expect(Plan.diff(from: old, to: restart).restart == ["c-other"])
        let added = try #require(
            Self.compile(base + "\n  a-new:\n    cmd: /bin/server --port ${PORT}\n").plan)
        let diff = Plan.diff(from: old, to: added)
        #expect(diff.added == ["a-new"])
        #expect(diff.restart.isEmpty && diff.unchanged == ["b-old", "c-other"])
        #expect(Plan.diff(from: added, to: old).removed == ["a-new"])
    }

    @Test("the plan is Codable, deterministic and Equatable")
    func planCodable() throws {
        let plan = try #require(Self.compile("models:\n  m:\n    cmd: /bin/x --port ${PORT}\n").plan)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(plan)
        #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
        #expect(try encoder.encode(plan) == data)
        #expect(PlanRenderer.render(plan, format: .json) == PlanRenderer.render(plan, format: .json))
    }
}

/// `swap-lint diff`'s logic on two versions of a bundled example.
struct ExampleDiffTests {
    static func plan(_ text: String) throws -> Plan {
        let result = PlanBuilder.compile([SourceFile(name: "swap-group.yaml", text: text)], environment: [:])
        return try #require(result.plan, "\(result.diagnostics.map(\.message))")
    }

    @Test("editing one model's process fields restarts exactly that model; a macro edit restarts its users")
    func exampleDiff() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("examples/swap-group.yaml")
        let original = try String(contentsOf: url, encoding: .utf8)
        let old = try Self.plan(original)

        let oneModel = original.replacingOccurrences(
            of: "--model /models/gemma-2-9b-it-Q4_K_M.gguf", with: "--model /models/gemma-2-9b-it-Q6_K.gguf")
        let diff = Plan.diff(from: old, to: try Self.plan(oneModel))
        #expect(diff.restart == ["gemma-2-9b"])
        #expect(diff.unchanged == ["llama-3.1-8b", "mistral-nemo-12b"])

        let liveOnly = original.replacingOccurrences(of: "ttl: 300\n    aliases:", with: "ttl: 600\n    aliases:")
        let live = Plan.diff(from: old, to: try Self.plan(liveOnly))
        #expect(live.restart.isEmpty && live.applyLive == ["gemma-2-9b"])

        // The global `ctx` macro: mistral-nemo shadows it, so only the other two restart.
        let macroEdit = original.replacingOccurrences(of: "  ctx: 8192", with: "  ctx: 4096")
        let macro = Plan.diff(from: old, to: try Self.plan(macroEdit))
        #expect(macro.restart == ["gemma-2-9b", "llama-3.1-8b"])
        #expect(macro.unchanged == ["mistral-nemo-12b"])
    }
}

/// Fingerprints are a hash over a fixed byte stream; these values, from
/// `examples/locked-coder.yaml`, catch an unintended change to that stream. (A running
/// server only compares plans it compiled itself, so a deliberate change, such as a
/// new live field, only needs the values here updated.)
struct FingerprintStabilityTests {
    @Test("fingerprints of the locked-coder example keep their values")
    func lockedCoderFingerprints() throws {
        let url = TestPaths.packageRoot.appendingPathComponent("examples/locked-coder.yaml")
        let result = PlanBuilder.compile(
            [SourceFile(name: "locked-coder.yaml", bytes: try TestPaths.bytes(url))], environment: [:])
        let plan = try #require(result.plan)
        let expected = [
            "deepseek-coder-v2-lite": ("4aa1728aac4bbb11", "6e1b1f231b82c368"),
            "llama-3.1-8b-chat": ("d986fa12e5fdefd3", "0ecea7316dd0c6ee"),
            "qwen2.5-coder-14b": ("fda96b3e3d891662", "fc282850de5ad019"),
        ]
        #expect(plan.models.keys.sorted() == expected.keys.sorted())
        for (id, (process, live)) in expected {
            #expect(plan.models[id]?.processFingerprint == process, "\(id)")
            #expect(plan.models[id]?.liveFingerprint == live, "\(id)")
        }
    }
}

/// `timeouts` of models and peers, and peers' `filters`, reach the plan.
struct ConnectionSettingsPlanTests {
    @Test("model and peer timeouts: given keys override llama-swap's defaults, the rest keep them")
    func timeouts() throws {
        let result = PlanTests.compile(
            """
            models:
              slow:
                cmd: server --port ${PORT}
                timeouts:
                  connect: 5
                  responseHeader: 600
              plain:
                cmd: server --port ${PORT}
            peers:
              remote:
                proxy: http://10.0.0.9:8080
                models: [big]
                timeouts:
                  idleConn: 0
            """)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        #expect(
            plan.models["slow"]?.timeouts
                == ConnectionTimeouts(connect: 5, keepalive: 30, responseHeader: 600, tlsHandshake: 10, idleConn: 90))
        #expect(plan.models["plain"]?.timeouts == .defaults)
        #expect(plan.peers["remote"]?.timeouts == ConnectionTimeouts(idleConn: 0))
        #expect(plan.models["slow"]?.liveFingerprint != plan.models["plain"]?.liveFingerprint)
    }

    /// A config with one local model and one peer whose `filters` are `peerFilters`
    /// (indented for their place), after `top`.
    static func peerConfig(top: String = "", peerFilters: String) -> String {
        top + """
            models:
              local:
                cmd: server --port ${PORT}
            peers:
              remote:
                proxy: http://10.0.0.9:8080
                models: [big]
                filters:

            """ + peerFilters
    }

    @Test("a peer's filters become its locks; global filters stay with local models")
    func peerLocks() throws {
        let yaml = Self.peerConfig(
            top: "filters:\n  setParams:\n    seed: 1\n",
            peerFilters: "      stripParams: \"top_p, min_p\"\n      setParams:\n        temperature: 0.2\n")
        let result = PlanTests.compile(yaml)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.message))")
        let locks = try #require(plan.peers["remote"]?.locks)
        #expect(locks.strip == ["min_p", "top_p"])
        #expect(locks.set == ["temperature": .double(0.2)])
        #expect(plan.models["local"]?.locks.set == ["seed": .integer(1)])
    }

    @Test("a peer's lock conflicts are reported like a model's")
    func peerLockConflict() throws {
        let result = PlanTests.compile(
            Self.peerConfig(
                peerFilters: "      stripParams: \"temperature\"\n      setParams:\n        temperature: 0.2\n"))
        #expect(result.diagnostics.map(\.code).contains(.setStripConflict))
        // A warning: the peer gets the set value, as llama-swap strips and then sets.
        let locks = try #require(result.plan?.peers["remote"]?.locks)
        #expect(locks.set["temperature"] == .double(0.2))
        #expect(!locks.strip.contains("temperature"))
    }
}
