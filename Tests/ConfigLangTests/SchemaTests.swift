import Foundation
import Testing

@testable import ConfigLang

@Suite("Config schema")
struct SchemaTests {
    /// The package root, found from this file's place in `Tests/ConfigLangTests/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Composes `yaml` and validates it against the whole config schema.
    func validate(_ yaml: String) -> [Diagnostic] {
        let composed = YAMLComposer.compose(SourceFile(name: "t.yaml", text: yaml))
        #expect(composed.diagnostics.isEmpty, "the YAML itself should compose cleanly")
        guard let root = composed.root else {
            Issue.record("no document in the YAML")
            return []
        }
        var validator = SchemaValidator()
        validator.validate(root, as: .object(ConfigSchema.root), path: "")
        return validator.diagnostics
    }

    // MARK: - Generated JSON Schema

    @Test("schemas/config.schema.json matches the generator")
    func checkedInSchemaIsCurrent() throws {
        let url = Self.packageRoot.appendingPathComponent("schemas/config.schema.json")
        let checkedIn = try? String(contentsOf: url, encoding: .utf8)
        #expect(
            checkedIn == JSONSchemaGenerator.generate(),
            "schemas/config.schema.json is out of date; run `swift run swap-lint schema > schemas/config.schema.json`")
    }

    @Test("the generated schema is JSON with `models` required")
    func generatedSchemaIsJSON() throws {
        let text = JSONSchemaGenerator.generate()
        #expect(text.hasSuffix("}\n"))
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8))
        let root = try #require(parsed as? [String: Any])
        #expect(root["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(root["required"] as? [String] == ["models"])
        let properties = try #require(root["properties"] as? [String: Any])
        for key in ["healthCheckTimeout", "models", "groups", "matrix", "routing", "peers", "filters"] {
            #expect(properties[key] != nil, "missing top-level key \(key)")
        }
    }

    @Test("typed scalars also accept a ${macro} string")
    func scalarsAcceptMacros() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(JSONSchemaGenerator.generate().utf8))
        let properties = try #require((parsed as? [String: Any])?["properties"] as? [String: Any])
        let field = try #require(properties["globalTTL"] as? [String: Any])
        let options = try #require(field["anyOf"] as? [[String: Any]])
        #expect(options.contains { $0["type"] as? String == "integer" && $0["minimum"] as? Int == 0 })
        #expect(options.contains { $0["type"] as? String == "string" && $0["pattern"] as? String == "\\$\\{" })
    }

    @Test("the generator is deterministic")
    func generatorIsDeterministic() {
        #expect(JSONSchemaGenerator.generate() == JSONSchemaGenerator.generate())
    }

    // MARK: - Validation against the schema

    @Test("a misspelt model key is a warning that suggests the right one")
    func unknownKeySuggestsSpelling() throws {
        let diagnostics = validate(
            """
            models:
              m:
                cmd: server --port ${PORT}
                tll: 60
            """)
        let unknown = try #require(diagnostics.first { $0.code == .unknownKey })
        #expect(unknown.severity == .warning)
        #expect(unknown.help?.contains("ttl") == true)
        #expect(unknown.span.start == SourceLocation(line: 4, column: 5))
    }

    @Test("a quoted number is a string, not an integer")
    func quotedIntegerIsMismatch() throws {
        let diagnostics = validate(
            """
            models:
              m:
                cmd: server
                ttl: "60"
            """)
        let mismatch = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(mismatch.code == .typeMismatch)
        #expect(mismatch.span.start == SourceLocation(line: 4, column: 10))
        #expect(mismatch.help?.contains("quotes") == true)
    }

    @Test("`yes` is read as true with a warning, as llama-swap's yaml.v3 reads it; `maybe` is an error")
    func yaml11BooleanWords() throws {
        let diagnostics = validate(
            """
            models:
              m:
                cmd: server
                unlisted: yes
                sendLoadingState: "Off"
              n:
                cmd: server
                unlisted: maybe
            """)
        #expect(diagnostics.map(\.code) == [.typeMismatch, .typeMismatch, .typeMismatch])
        let yes = try #require(diagnostics.first { $0.span.start == SourceLocation(line: 4, column: 15) })
        #expect(yes.severity == .warning)
        #expect(yes.help?.contains("`true`") == true)
        let off = try #require(diagnostics.first { $0.span.start.line == 5 })
        #expect(off.severity == .warning)
        #expect(off.message.contains("`false`"))
        let maybe = try #require(diagnostics.first { $0.span.start.line == 8 })
        #expect(maybe.severity == .error)

        let plan = PlanBuilder.compile(
            [SourceFile(name: "t.yaml", text: "models:\n  m:\n    cmd: server --port ${PORT}\n    unlisted: yes\n")],
            environment: [:])
        #expect(!plan.diagnostics.hasErrors)
        #expect(plan.plan?.models["m"]?.unlisted == true)
    }

    @Test("startPort above 65535 loads as in llama-swap; a model that would get such a port is SL211")
    func startPortOutOfRange() throws {
        #expect(validate("startPort: 70000\nmodels: {}\n").isEmpty)
        let zero = validate("startPort: 0\nmodels: {}\n")
        #expect(zero.map(\.code) == [.outOfRange], "llama-swap rejects a startPort below 1")
        let result = PlanBuilder.compile(
            [SourceFile(name: "t.yaml", text: "startPort: 70000\nmodels:\n  a:\n    cmd: server --port ${PORT}\n")],
            environment: [:])
        #expect(result.diagnostics.map(\.code) == [.portOutOfRange])
        #expect(result.diagnostics.first?.span.start == SourceLocation(line: 3, column: 3))
    }

    @Test("a negative healthCheckTimeout is raised to 15 with a warning, as llama-swap raises it")
    func negativeHealthCheckTimeout() throws {
        let result = PlanBuilder.compile(
            [
                SourceFile(
                    name: "t.yaml", text: "healthCheckTimeout: -5\nmodels:\n  a:\n    cmd: server --port ${PORT}\n")
            ],
            environment: [:])
        #expect(result.diagnostics.map(\.code) == [.valueRaised])
        #expect(result.plan?.settings.healthCheckTimeout == 15)
    }

    @Test("an unknown stdout mode is an invalid value (llama-swap refuses it too)")
    func unknownLogToStdout() throws {
        let diagnostics = validate(
            """
            logToStdout: all
            models: {}
            """)
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(problem.code == .invalidValue)
        #expect(problem.severity == .error)
        #expect(problem.span.start == SourceLocation(line: 1, column: 14))
    }

    @Test("a macro reference in a typed field is left for expansion")
    func macroInTypedField() {
        let diagnostics = validate(
            """
            macros:
              x: 30
            healthCheckTimeout: ${x}
            models:
              m:
                cmd: server
                ttl: ${x}
            """)
        #expect(diagnostics.isEmpty)
    }

    @Test("`models` is required")
    func modelsRequired() {
        let diagnostics = validate("logLevel: info\n")
        #expect(diagnostics.map(\.code) == [.missingRequired])
    }

    @Test("`stripParams` takes a comma-separated string or a list")
    func stripParamsForms() {
        let diagnostics = validate(
            """
            models:
              a:
                cmd: server
                filters:
                  stripParams: "temperature, top_p"
              b:
                cmd: server
                filters:
                  stripParams: [temperature, top_p]
            """)
        #expect(diagnostics.isEmpty)
    }

    @Test("a clamp bound must be a number")
    func clampBoundIsNumber() throws {
        let diagnostics = validate(
            """
            filters:
              clampParams:
                temperature: {min: 0, max: high}
            models: {}
            """)
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(problem.code == .typeMismatch)
        #expect(problem.span.start == SourceLocation(line: 3, column: 32))
    }

    @Test("`hooks.on_startup` written as a list is a type error")
    func onStartupAsList() throws {
        let diagnostics = validate(
            """
            hooks:
              on_startup:
                - preload.sh
            models: {}
            """)
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(problem.code == .typeMismatch)
        #expect(problem.span.start == SourceLocation(line: 3, column: 5))
    }

    @Test("profile pins must be a mapping; a whole profile may be a plain list")
    func profileShapes() throws {
        let diagnostics = validate(
            """
            profiles:
              legacy: [a, b]
              current:
                pins:
                  a: b
                  c: ~
              broken:
                pins:
                  - a
            models: {}
            """)
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(problem.code == .typeMismatch)
        #expect(problem.span.start == SourceLocation(line: 9, column: 7))
    }

    @Test("the matrix engine's settings are checked")
    func matrixSettings() throws {
        let diagnostics = validate(
            """
            routing:
              router:
                use: matrix
                settings:
                  matrix:
                    vars: {g: gemma, q: qwen}
                    evict_costs: {g: 0}
                    sets:
                      pair: "g & q"
            models: {}
            """)
        let problem = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(problem.code == .outOfRange)
        #expect(problem.span.start == SourceLocation(line: 7, column: 26), "llama-swap wants a positive cost")
    }

    @Test("a config using most keys has no problems beyond compatibility warnings")
    func fullSample() {
        let diagnostics = validate(Self.fullSample)
        #expect(diagnostics.allSatisfy { $0.code == .notImplemented }, "\(diagnostics.map(\.message))")
        #expect(diagnostics.contains { $0.message.contains("`captureBuffer`") })
    }

    static let fullSample = """
        healthCheckTimeout: 300
        logLevel: debug
        logTimeFormat: rfc3339
        logToStdout: both
        captureBuffer: 0
        performance:
          disabled: false
          every: 1m30s
        startPort: 9000
        includeAliasesInList: true
        globalTTL: 600
        unloadTimeout: 5
        macros:
          base: /opt/llama/llama-server --port ${PORT}
          ctx: 8192
          fast: true
        apiKeys: [sk-one, "${env.KEY}"]
        upstream:
          ignorePaths: ['^/ws$']
        filters:
          final: [max_tokens]
          clampParams:
            max_tokens: {max: 4096}
        profiles:
          night:
            description: Small models only
            pins:
              chat: small
              big: ~
        selectors:
          chat:
            strategy: spillover
            targets: [small, big]
            name: Chat
            metadata: {tier: 1}
            settings:
              spillover: 2
        models:
          small:
            macros:
              ctx: 4096
            cmd: |
              # the ctx macro is shadowed here
              ${base} --ctx-size ${ctx}
            cmdStop: kill -TERM ${PID}
            name: Small
            description: A small model
            env: ["CUDA_VISIBLE_DEVICES=0"]
            checkEndpoint: none
            ttl: -1
            useModelName: org/small
            aliases: [tiny]
            metadata:
              nested: {list: [1, 2.5, "x"]}
            concurrencyLimit: 4
            timeouts:
              connect: 5
              responseHeader: 120
            capabilities:
              in: [text, image]
              out: [text]
              tools: true
              context: 32768
            filters:
              stripParams: top_k
              setParams: {temperature: 0.2}
              setParamsByID:
                "${MODEL_ID}:creative": {temperature: 1.0}
              defaultParams: {top_p: 0.9}
          big:
            proxy: http://127.0.0.1:8999
            cmd: /opt/big --port 8999
            unlisted: true
        groups:
          pair:
            swap: false
            exclusive: true
            persistent: false
            members: [small, big]
            macros:
              ctx: 2048
            filters:
              setParams: {seed: 1}
        hooks:
          on_startup:
            preload: [small]
        routing:
          scheduler:
            use: fifo
            settings:
              fifo:
                priority: {small: 10, big: -1}
        peers:
          remote:
            proxy: https://example.net/api
            apiKey: ${env.REMOTE_KEY}
            models: [m1, m2]
            timeouts:
              idleConn: 30
            filters:
              stripParams: [temperature]
              setParams:
                provider: {zdr: true}
        """
}
