import ConfigLang
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import Runtime

/// Pure request-handling pieces: name resolution, bodies, keys, ports.
struct RequestHandlingTests {
    static func plan(_ yaml: String) throws -> Plan {
        let result = PlanBuilder.compile([SourceFile(name: "t.yaml", text: yaml)], environment: [:])
        return try #require(result.plan, "\(result.diagnostics.map(\.message))")
    }

    static let sample = """
        models:
          coder:
            cmd: /bin/server --port ${PORT}
            aliases: [code]
            filters:
              setParams: {temperature: 0}
              setParamsByID:
                "coder:warm": {temperature: 0.5}
          org/big-model:
            cmd: /bin/server --port ${PORT}
        selectors:
          best:
            strategy: warm
            targets: [org/big-model, coder]
        profiles:
          night:
            pins:
              code: org/big-model
              coder: ~
        peers:
          cloud:
            proxy: https://example.invalid/api
            models: [gpt-x, shared]
          other:
            proxy: https://other.invalid
            models: [shared]
        """

    @Test("names resolve: ID, alias, setParamsByID key, selector, profile pin, peers")
    func resolution() throws {
        let plan = try Self.plan(Self.sample)
        let resolver = ModelResolver(plan: plan)
        #expect(resolver.resolve("coder") == .local(modelID: "coder", requestedID: "coder"))
        #expect(resolver.resolve("code") == .local(modelID: "coder", requestedID: "code"))
        #expect(resolver.resolve("coder:warm") == .local(modelID: "coder", requestedID: "coder:warm"))
        #expect(resolver.resolve("best") == .local(modelID: "org/big-model", requestedID: "org/big-model"))
        let warm = ModelResolver(plan: plan, readyModels: ["coder"])
        #expect(warm.resolve("best") == .local(modelID: "coder", requestedID: "coder"))
        #expect(resolver.resolve("cloud/gpt-x") == .peer(peerID: "cloud", model: "gpt-x"))
        #expect(resolver.resolve("gpt-x") == .peer(peerID: "cloud", model: "gpt-x"))
        #expect(resolver.resolve("shared") == nil, "two peers provide it: ambiguous")
        #expect(resolver.resolve("nope") == nil)
        let night = ModelResolver(plan: plan, activeProfile: "night")
        #expect(night.resolve("code") == .local(modelID: "org/big-model", requestedID: "org/big-model"))
        #expect(night.resolve("coder") == .disabled)
    }

    @Test("/upstream/<model>/<path>: the longest prefix naming a model wins")
    func upstreamPrefix() throws {
        let plan = try Self.plan(Self.sample)
        let resolver = ModelResolver(plan: plan)
        let target = try #require(resolver.upstreamTarget("org/big-model/v1/chat/completions"))
        #expect(target.modelID == "org/big-model")
        #expect(target.path == "/v1/chat/completions")
        #expect(resolver.upstreamTarget("code/health")?.modelID == "coder")
        #expect(resolver.upstreamTarget("org/unknown/x") == nil)
    }

    @Test("JSON bodies: model, locks and useModelName; untouched bodies pass byte for byte")
    func bodies() throws {
        let original = Array(#"{"model": "coder",  "temperature": 1.5, "stream": true}"#.utf8)
        let body = try ModelRequestBody(bytes: original)
        #expect(body.model == "coder")
        #expect(body.rewritten(locks: ParameterLocks(), useModelName: nil) == original)
        let locked = body.rewritten(
            locks: ParameterLocks(set: ["temperature": .integer(0)]), useModelName: "upstream-name")
        let parsed = try JSONValue(parsing: locked)
        #expect(
            parsed == .object(["model": .string("upstream-name"), "temperature": .integer(0), "stream": .bool(true)]))
        #expect(throws: OpenAIError.self) { try ModelRequestBody(bytes: Array("{not json".utf8)) }
        #expect(throws: OpenAIError.self) { try ModelRequestBody(bytes: Array("[1,2]".utf8)) }
    }

    @Test("the model a body names: JSON, the query's for an empty body or a JSON body without one, multipart")
    func modelBody() throws {
        let json = try ModelRoute.modelBody(Array(#"{"model":"coder"}"#.utf8), contentType: "", queryModel: "q")
        #expect(json.name == "coder")
        #expect(try ModelRoute.modelBody([], contentType: "", queryModel: "q").name == "q")
        #expect(try ModelRoute.modelBody(Array("{}".utf8), contentType: "", queryModel: "q").name == "q")
        #expect(throws: OpenAIError.self) {
            try ModelRoute.modelBody(Array("{}".utf8), contentType: "", queryModel: nil)
        }
        #expect(throws: OpenAIError.self) { try ModelRoute.modelBody([], contentType: "", queryModel: nil) }
        let form = Array("--B\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--B--\r\n".utf8)
        let multipart = try ModelRoute.modelBody(form, contentType: "multipart/form-data; boundary=B", queryModel: nil)
        #expect(multipart.name == "whisper")
    }

    @Test("a route: local models get their locks (by requested ID) and useModelName; peers their key; others 404")
    func route() throws {
        let plan = try Self.plan(Self.sample)
        let held = try ModelRoute.modelBody(
            Array(#"{"model":"coder:warm","temperature":2}"#.utf8), contentType: "", queryModel: nil
        ).body
        guard
            case .local(let model, .bytes(let bytes), let changes) = try ModelRoute.resolve(
                "coder:warm", body: held, plan: plan, activeProfile: nil, readyModels: { [] })
        else {
            Issue.record("a local model with a buffered body")
            return
        }
        #expect(model.id == "coder")
        #expect(
            try JSONValue(parsing: bytes) == .object(["model": .string("coder:warm"), "temperature": .double(0.5)]))
        #expect(changes.map(\.key) == ["temperature"])
        #expect(changes.first?.sent == "2" && changes.first?.forwarded == "0.5" && changes.first?.action == "set")
        guard
            case .peer(let peer, _, let inject) = try ModelRoute.resolve(
                "cloud/gpt-x", body: .raw([]), plan: plan, activeProfile: nil, readyModels: { [] })
        else {
            Issue.record("a peer")
            return
        }
        #expect(peer.proxy == "https://example.invalid/api")
        #expect(inject.isEmpty, "the sample's peer has no key")
        #expect(throws: OpenAIError.self) {
            try ModelRoute.resolve("nope", body: .raw([]), plan: plan, activeProfile: nil, readyModels: { [] })
        }
        #expect(throws: OpenAIError.self) {
            try ModelRoute.resolve("coder", body: .raw([]), plan: plan, activeProfile: "night", readyModels: { [] })
        }
    }

    @Test("an error's body is OpenAI's shape, as JSON")
    func errorBody() throws {
        let error = OpenAIError.unknownModel("a \"b\"")
        let parsed = try JSONValue(parsing: Array(error.body.utf8))
        guard case .object(let root) = parsed, case .object(let inner)? = root["error"] else {
            Issue.record("an error object")
            return
        }
        #expect(inner["code"] == .string("model_not_found"))
        #expect(inner["type"] == .string("invalid_request_error"))
        #expect(inner["message"] == .string(error.message))
        #expect(error.response.status == .notFound)
    }

    @Test("multipart: the model field is found and replaced")
    func multipart() throws {
        let form = try #require(MultipartForm(contentType: "multipart/form-data; boundary=XyZ"))
        let body = Array(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF....\r\n--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper\r\n--XyZ--\r\n"
                .utf8)
        #expect(form.modelField(in: body)?.value == "whisper")
        let replaced = form.replacingModel(in: body, with: "whisper-large")
        #expect(form.modelField(in: replaced)?.value == "whisper-large")
        #expect(MultipartForm(contentType: "application/json") == nil)
    }

    @Test("API keys: Bearer, x-api-key and Basic password; nothing configured allows all")
    func apiKeys() {
        let check = APIKeyCheck(keys: ["sk-1"])
        #expect(check.allows([.authorization: "Bearer sk-1"]))
        #expect(check.allows([HTTPField.Name("x-api-key")!: "sk-1"]))
        #expect(check.allows([.authorization: "Basic " + Data("user:sk-1".utf8).base64EncodedString()]))
        #expect(!check.allows([.authorization: "Bearer sk-2"]))
        #expect(!check.allows([:]))
        #expect(APIKeyCheck(keys: []).allows([:]))
    }

    @Test("ports survive reloads: adding a model that sorts first renumbers no one")
    func portsSurvive() throws {
        var ports = PortAllocator()
        let before = try Self.plan("models:\n  b-old:\n    cmd: /x --port ${PORT}\n  c:\n    cmd: /x --port ${PORT}\n")
        ports.update(for: before)
        #expect(ports.port(of: "b-old") == 5800)
        #expect(ports.port(of: "c") == 5801)
        let after = try Self.plan(
            "models:\n  a-new:\n    cmd: /x --port ${PORT}\n  b-old:\n    cmd: /x --port ${PORT}\n  c:\n    cmd: /x --port ${PORT}\n"
        )
        #expect(after.models["b-old"]?.port?.offline == 5801, "offline numbering shifts…")
        ports.update(for: after)
        #expect(ports.port(of: "b-old") == 5800, "…but the running assignment does not")
        #expect(ports.port(of: "c") == 5801)
        #expect(ports.port(of: "a-new") == 5802)
        ports.update(for: before)
        #expect(ports.port(of: "a-new") == nil)
        let moved = ports.move("c", startPort: 5800) { $0 != 5801 && $0 != 5802 }
        #expect(moved == 5803, "skips b-old's 5800 and the two ports another program holds")
        #expect(ports.port(of: "c") == 5803)
    }
}
