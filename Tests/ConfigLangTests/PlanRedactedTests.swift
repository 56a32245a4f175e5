import Testing

@testable import ConfigLang

/// ``Plan/redacted(secrets:)``: what the server's API and `swap-lint plan --redact` show.
struct PlanRedactedTests {
    static let yaml = """
        apiKeys: ["server-key-0001"]
        models:
          m:
            cmd: llama-server --port ${PORT} --api-key sk-flag-0002 --hf-token=hf-inline-0003 -m ${env.SWAP_MODEL_SECRET}
            cmdStop: kill-it --password pw-stop-0004
            env:
              - "BACKEND_TOKEN=env-value-0005"
              - "PLAIN"
            metadata:
              note: "uses ${env.SWAP_MODEL_SECRET}"
        peers:
          far:
            proxy: http://peer.example:8080
            apiKey: peer-key-0006
            models: [x]
        """
    static let environment = ["SWAP_MODEL_SECRET": "env-sub-0007", "UNUSED": "unused-0008"]

    static func plan() throws -> Plan {
        try #require(
            PlanBuilder.compile([SourceFile(name: "t.yaml", text: yaml)], environment: environment).plan)
    }

    @Test("every kind of secret is hidden; names, flags and the rest stay")
    func hidesSecrets() throws {
        let plan = try Self.plan()
        let secrets = SecretHiding.environmentValues(referencedIn: [Self.yaml], environment: Self.environment)
        #expect(secrets == ["env-sub-0007"], "only the variables the config refers to")
        let shown = PlanRenderer.render(plan.redacted(secrets: secrets), format: .json)
        for secret in [
            "server-key-0001", "sk-flag-0002", "hf-inline-0003", "pw-stop-0004", "env-value-0005", "peer-key-0006",
            "env-sub-0007",
        ] {
            #expect(!shown.contains(secret), "shows \(secret)")
        }
        #expect(shown.contains("BACKEND_TOKEN=<redacted>"))
        #expect(shown.contains("\"PLAIN\""))
        #expect(shown.contains("--hf-token=<redacted>"))
        #expect(shown.contains("uses <redacted>"))
        let model = try #require(plan.redacted(secrets: secrets).models["m"])
        let flag = try #require(model.argvTemplate.firstIndex(of: "--api-key"))
        #expect(model.argvTemplate[flag + 1] == "<redacted>")
        #expect(model.argvTemplate.contains("--port"), "ordinary flags stay")
    }

    @Test("the unredacted plan still holds every value (swap-lint plan without --redact)")
    func unredactedKeepsValues() throws {
        let shown = PlanRenderer.render(try Self.plan(), format: .json)
        #expect(shown.contains("sk-flag-0002") && shown.contains("env-value-0005") && shown.contains("env-sub-0007"))
    }

    @Test(
        "flag names that say key, token, secret or password",
        arguments: [
            ("--api-key", true), ("-token", true), ("--hf_secret", true), ("--DB-PASSWORD", true), ("--port", false),
            ("keyfile", false), ("--model", false), ("--apikey", true), ("--tokens", false),
            ("--token-delay-ms", false), ("--n-predict", false), ("--key-file", false),
        ])
    func secretFlags(flag: String, secret: Bool) {
        #expect(SecretHiding.isSecretFlag(flag) == secret)
    }

    @Test("values shorter than four characters are not hidden as substrings")
    func shortValues() {
        let hiding = SecretHiding(secrets: ["1", "abcd"])
        #expect(hiding.text("port 1 abcd") == "port 1 <redacted>")
    }
}
