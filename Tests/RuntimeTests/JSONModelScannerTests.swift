import ConfigLang
import SwapTestSupport
import Testing

@testable import Runtime

/// The one-pass `model` scanner: what it finds, when it defers to the full parser,
/// and that it never accepts a body the parser rejects or reads another `model`.
struct JSONModelScannerTests {
    static func scan(_ text: String) -> JSONModelScanner.Result {
        JSONModelScanner.scan(Array(text.utf8))
    }

    @Test("finds the top-level model string, whatever the whitespace and position")
    func topLevel() {
        #expect(Self.scan(#"{"model":"llama"}"#) == .object(model: "llama"))
        #expect(Self.scan(" \t\r\n{ \"messages\" : [ ] ,\n \"model\"\t:\"llama\" }\n ") == .object(model: "llama"))
        #expect(
            Self.scan(#"{"temperature":0.5,"model":"org/big-model:q4","stream":true}"#)
                == .object(model: "org/big-model:q4"))
        #expect(Self.scan(#"{"model":"日本語モデル"}"#) == .object(model: "日本語モデル"))
        #expect(Self.scan(#"{"model":""}"#) == .object(model: ""))
    }

    @Test("a body without a string model is an object with no model")
    func noModel() {
        #expect(Self.scan("{}") == .object(model: nil))
        #expect(Self.scan(#"{"messages":[]}"#) == .object(model: nil))
        #expect(Self.scan(#"{"model":7}"#) == .object(model: nil))
        #expect(Self.scan(#"{"model":null}"#) == .object(model: nil))
        #expect(Self.scan(#"{"model":{"name":"llama"}}"#) == .object(model: nil))
        #expect(Self.scan(#"{"Model":"llama","models":"x","mode":"y"}"#) == .object(model: nil))
    }

    @Test("model keys inside nested objects, arrays and strings are not the body's model")
    func nested() {
        #expect(Self.scan(#"{"messages":[{"model":"inner"}],"options":{"model":"deep"}}"#) == .object(model: nil))
        #expect(Self.scan(#"{"options":{"model":"deep"},"model":"outer"}"#) == .object(model: "outer"))
        #expect(Self.scan(#"{"model":"outer","options":{"model":"deep"}}"#) == .object(model: "outer"))
        #expect(Self.scan(#"{"content":"{\"model\":\"fake\"}","model":"real"}"#) == .object(model: "real"))
        #expect(Self.scan(#"{"content":"say \\\"model\": x","model":"real"}"#) == .object(model: "real"))
    }

    @Test("a repeated model key keeps its last value, like the parser")
    func duplicates() {
        #expect(Self.scan(#"{"model":"a","model":"b"}"#) == .object(model: "b"))
        #expect(Self.scan(#"{"model":"a","x":1,"model":3}"#) == .object(model: nil))
        #expect(Self.scan(#"{"model":3,"model":"c"}"#) == .object(model: "c"))
    }

    @Test("escapes in a top-level key or in the model value defer to the full parser")
    func escapes() {
        #expect(Self.scan(#"{"model":"org\/model"}"#) == .unsure)
        #expect(Self.scan(#"{"mod\u0065l":"x"}"#) == .unsure)
        #expect(Self.scan(#"{"a\"b":1,"model":"x"}"#) == .unsure)
        // Escapes elsewhere are checked, not decoded.
        #expect(Self.scan(#"{"content":"line\nnext \u00e9 \ud83d\ude00 \/ \\","model":"x"}"#) == .object(model: "x"))
    }

    @Test("bodies that are not JSON objects defer to the full parser")
    func notObjects() {
        for text in ["", " ", "[1]", #""model""#, "3", "null", "true", "[{\"model\":\"x\"}]"] {
            #expect(Self.scan(text) == .unsure, "\(text)")
        }
    }

    @Test("invalid JSON defers to the full parser, which rejects it")
    func invalid() throws {
        let cases = [
            #"{"model":"a",}"#, #"{"model":"a"} x"#, #"{"model":"a""#, #"{"model" "a"}"#, #"{model:"a"}"#,
            #"{"model":'a'}"#, #"{"n":01,"model":"a"}"#, #"{"n":1.,"model":"a"}"#, #"{"n":-,"model":"a"}"#,
            #"{"n":1e,"model":"a"}"#, #"{"n":1e400,"model":"a"}"#, #"{"n":NaN,"model":"a"}"#,
            #"{"s":"\ud800","model":"a"}"#, #"{"s":"\udc00","model":"a"}"#, #"{"s":"\ud800\u0041","model":"a"}"#,
            #"{"s":"\x","model":"a"}"#, #"{"s":"\u12","model":"a"}"#, "{\"s\":\"tab\there\",\"model\":\"a\"}",
            #"{"t":tru,"model":"a"}"#, #"{"a":[1,2,],"model":"a"}"#, #"{"a":[1 2],"model":"a"}"#, "{\"model\":\"a\"}}",
            "{\"n\":\(String(repeating: "9", count: 400)),\"model\":\"a\"}",
        ]
        for text in cases {
            #expect(Self.scan(text) == .unsure, "\(text)")
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: Array(text.utf8)) }
        }
        let badUTF8: [[UInt8]] = [
            [0xFF], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3],
        ]
        for bytes in badUTF8 {
            let body = Array(#"{"model":"a","s":""#.utf8) + bytes + Array(#""}"#.utf8)
            #expect(JSONModelScanner.scan(body) == .unsure, "\(bytes)")
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: body) }
        }
    }

    @Test("nesting is accepted up to the parser's depth limit and no deeper")
    func depth() throws {
        let limit = JSONValue.maximumDepth
        let deepest =
            "{\"model\":\"a\",\"x\":" + String(repeating: "[", count: limit - 1)
            + String(repeating: "]", count: limit - 1) + "}"
        #expect(Self.scan(deepest) == .object(model: "a"))
        _ = try JSONValue(parsing: Array(deepest.utf8))
        let tooDeep =
            "{\"model\":\"a\",\"x\":" + String(repeating: "[", count: limit)
            + String(repeating: "]", count: limit) + "}"
        #expect(Self.scan(tooDeep) == .unsure)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Array(tooDeep.utf8)) }
    }

    @Test("mutated bodies: the scanner agrees with the parser on every one")
    func agreesWithParser() {
        let seeds = [
            #"{"model":"llama","messages":[{"role":"user","content":"hi \u00e9\n"}],"max_tokens":4,"temperature":0.7}"#,
            #"{"stream":true,"model":"a/b","n":-1.5e3,"stop":["\n",null,false],"x":{"model":"no"}}"#,
            "{\"model\":\"é\",\"k\":[[{}],[]],\"v\":0}",
        ]
        var generator = SplitMix64(state: 42)
        let alphabet = Array(#"{}[]":,\ 0123456789-+.eEtrufalsn"#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xFF]
        var checked = 0
        for seed in seeds {
            let original = Array(seed.utf8)
            for _ in 0..<3000 {
                var bytes = original
                for _ in 0..<Int(generator.next() % 3) + 1 {
                    let position = Int(generator.next() % UInt64(bytes.count + 1))
                    let byte = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                    switch generator.next() % 3 {
                    case 0 where position < bytes.count: bytes.remove(at: position)
                    case 1 where position < bytes.count: bytes[position] = byte
                    default: bytes.insert(byte, at: position)
                    }
                }
                Self.expectAgreement(bytes)
                checked += 1
            }
        }
        #expect(checked == 9000)
    }

    /// A scan answer must match the parser's; a body without escapes that parses as
    /// an object must not be left to the parser.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let result = JSONModelScanner.scan(bytes)
        let parsed = try? JSONValue(parsing: bytes)
        switch (result, parsed) {
        case (.object(let model), .object(let members)?):
            var expected: String?
            if case .string(let name)? = members["model"] { expected = name }
            #expect(model == expected, "\(String(decoding: bytes, as: UTF8.self))", sourceLocation: sourceLocation)
        case (.object, _):
            Issue.record("scanner accepted what the parser rejects: \(bytes)", sourceLocation: sourceLocation)
        case (.unsure, .object?):
            #expect(bytes.contains(UInt8(ascii: "\\")), "\(bytes)", sourceLocation: sourceLocation)
        case (.unsure, _):
            break
        }
    }
}
