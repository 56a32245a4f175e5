import Foundation
import Testing

@testable import ConfigLang

/// Parses `text` as JSON, failing the test on an error.
private func json(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: Array(text.utf8))
}

/// The parse error for `text`, or nil when it parses.
private func parseError(_ text: String) -> JSONParseError? {
    do {
        _ = try JSONValue(parsing: Array(text.utf8))
        return nil
    } catch {
        return error
    }
}

@Suite("Parameter locks")
struct ParameterLocksTests {
    @Test("strip removes keys and leaves the rest")
    func strip() throws {
        let locks = ParameterLocks(strip: ["temperature", "top_p", "absent"])
        let body = try json(#"{"model":"m","temperature":0.2,"top_p":0.9,"top_k":40}"#)
        #expect(locks.apply(to: body) == .object(["model": .string("m"), "top_k": .integer(40)]))
    }

    @Test("default fills a missing key only")
    func defaults() throws {
        let locks = ParameterLocks(defaults: ["temperature": .double(0.7), "top_k": .integer(20)])
        let body = try json(#"{"model":"m","temperature":0.1}"#)
        #expect(
            locks.apply(to: body)
                == .object(["model": .string("m"), "temperature": .double(0.1), "top_k": .integer(20)]))
    }

    @Test("an explicit null counts as sent, so no default replaces it")
    func defaultKeepsExplicitNull() throws {
        let locks = ParameterLocks(defaults: ["seed": .integer(1)])
        #expect(locks.apply(to: try json(#"{"seed":null}"#)) == .object(["seed": .null]))
    }

    @Test("set overwrites or adds, with any JSON value")
    func set() throws {
        let locks = ParameterLocks(set: [
            "temperature": .double(0.7),
            "provider": .object(["zdr": .bool(true), "order": .array([.string("a")])]),
        ])
        let body = try json(#"{"temperature":1.5}"#)
        #expect(
            locks.apply(to: body).serialized()
                == #"{"provider":{"order":["a"],"zdr":true},"temperature":0.7}"#)
    }

    @Test("clamp raises to min and lowers to max")
    func clamp() throws {
        let locks = ParameterLocks(clamp: [
            "temperature": ClampRange(min: 0, max: 1),
            "top_p": ClampRange(min: 0.1),
            "max_tokens": ClampRange(max: 4096),
        ])
        let body = try json(#"{"temperature":1.8,"top_p":0.01,"max_tokens":10000}"#)
        #expect(
            locks.apply(to: body)
                == .object(["temperature": .double(1), "top_p": .double(0.1), "max_tokens": .integer(4096)]))
    }

    @Test("clamp keeps integer-ness only when the bound is integral")
    func clampIntegerness() throws {
        let locks = ParameterLocks(clamp: ["n": ClampRange(min: 0.5), "k": ClampRange(min: 1, max: 3)])
        let clamped = locks.apply(to: try json(#"{"n":0,"k":-5}"#))
        #expect(clamped == .object(["n": .double(0.5), "k": .integer(1)]))
        #expect(clamped.serialized() == #"{"k":1,"n":0.5}"#)
    }

    @Test("clamp leaves values within range and non-numbers alone")
    func clampLeavesOthers() throws {
        let locks = ParameterLocks(clamp: [
            "a": ClampRange(min: 0, max: 10), "b": ClampRange(max: 1), "c": ClampRange(max: 1),
            "d": ClampRange(max: 1),
        ])
        let body = try json(#"{"a":5,"b":"high","c":[2],"d":null}"#)
        #expect(locks.apply(to: body) == body)
    }

    @Test("a clamped double stays a double even at an integral bound")
    func clampDoubleStaysDouble() throws {
        let locks = ParameterLocks(clamp: ["temperature": ClampRange(max: 1)])
        #expect(locks.apply(to: try json(#"{"temperature":2.5}"#)).serialized() == #"{"temperature":1.0}"#)
    }

    @Test("order is strip, default, set, clamp")
    func order() throws {
        let locks = ParameterLocks(
            strip: ["temperature", "top_k"],
            defaults: ["temperature": .double(0.6), "top_p": .double(0.5)],
            set: ["top_p": .double(2.0), "top_k": .integer(99)],
            clamp: ["top_p": ClampRange(max: 1), "top_k": ClampRange(max: 50), "temperature": ClampRange(max: 0.3)])
        let body = try json(#"{"model":"m","temperature":0.9,"top_k":10}"#)
        #expect(
            locks.apply(to: body)
                == .object([
                    "model": .string("m"),
                    "temperature": .double(0.3),
                    "top_p": .double(1),
                    "top_k": .integer(50),
                ]))
    }

    @Test("a key both stripped and defaulted ends up with the default")
    func stripThenDefault() throws {
        let locks = ParameterLocks(strip: ["temperature"], defaults: ["temperature": .double(0.7)])
        #expect(locks.apply(to: try json(#"{"temperature":1.3}"#)) == .object(["temperature": .double(0.7)]))
    }

    @Test("a key set to 2.0 and clamped to max 1 ends up 1")
    func setThenClamp() throws {
        let locks = ParameterLocks(set: ["temperature": .double(2.0)], clamp: ["temperature": ClampRange(max: 1)])
        #expect(locks.apply(to: try json("{}")) == .object(["temperature": .double(1)]))
    }

    @Test("`model` is never stripped, defaulted, set or clamped")
    func modelUntouched() throws {
        let locks = ParameterLocks(
            strip: ["model"], defaults: ["model": .string("d")], set: ["model": .string("s")],
            clamp: ["model": ClampRange(max: 1)])
        #expect(locks.apply(to: try json(#"{"model":"mine"}"#)) == .object(["model": .string("mine")]))
        #expect(locks.apply(to: try json(#"{"model":5}"#)) == .object(["model": .integer(5)]))
        #expect(locks.apply(to: try json("{}")) == .object([:]))
    }

    @Test("non-object bodies come back unchanged", arguments: ["[1,2]", #""text""#, "3", "null", "true"])
    func nonObjectUnchanged(_ text: String) throws {
        let locks = ParameterLocks(strip: ["a"], defaults: ["b": .integer(1)], set: ["c": .null])
        let body = try json(text)
        #expect(locks.apply(to: body) == body)
    }

    @Test("locks reach only the top level")
    func topLevelOnly() throws {
        let locks = ParameterLocks(strip: ["temperature"])
        let body = try json(#"{"options":{"temperature":1}}"#)
        #expect(locks.apply(to: body) == body)
    }

    @Test("no locks leave a body as it was")
    func emptyLocks() throws {
        let locks = ParameterLocks()
        #expect(locks.isEmpty)
        let body = try json(#"{"a":[1,{"b":null}]}"#)
        #expect(locks.apply(to: body) == body)
    }

    @Test("apply(toJSON:) parses, applies and serialises compactly with sorted keys")
    func applyToBytes() throws {
        let locks = ParameterLocks(strip: ["top_k"], clamp: ["max_tokens": ClampRange(max: 4096)])
        let input =
            #" { "model" : "m", "top_k": 3, "max_tokens": 10000, "messages": [{"role":"user","content":"hi"}] } "#
        let output = try locks.apply(toJSON: Array(input.utf8))
        #expect(
            String(decoding: output, as: UTF8.self)
                == #"{"max_tokens":4096,"messages":[{"content":"hi","role":"user"}],"model":"m"}"#)
    }

    @Test("apply(toJSON:) reports malformed JSON")
    func applyToBadBytes() {
        #expect(throws: JSONParseError.self) {
            try ParameterLocks().apply(toJSON: Array(#"{"model":}"#.utf8))
        }
    }

    @Test("locks are comparable values")
    func locksAreValues() {
        let a = ParameterLocks(strip: ["x"], clamp: ["t": ClampRange(min: 0, max: 1)])
        var b = a
        #expect(a == b)
        b.clamp["t"]?.max = 2
        #expect(a != b)
    }

    @Test("locks survive a Codable round trip")
    func locksCodable() throws {
        let locks = ParameterLocks(
            strip: ["top_k"], defaults: ["temperature": .double(0.7)],
            set: ["provider": .object(["zdr": .bool(true), "order": .array([.string("a"), .null])])],
            clamp: ["max_tokens": ClampRange(max: 4096), "top_p": ClampRange(min: 0.1)])
        let data = try JSONEncoder().encode(locks)
        #expect(try JSONDecoder().decode(ParameterLocks.self, from: data) == locks)
    }
}

@Suite("JSONValue")
struct JSONValueTests {
    // MARK: - Parsing and serialising

    @Test("scalars parse to the right cases")
    func scalars() throws {
        #expect(try json("null") == .null)
        #expect(try json("true") == .bool(true))
        #expect(try json(" false ") == .bool(false))
        #expect(try json("42") == .integer(42))
        #expect(try json("-0") == .integer(0))
        #expect(try json("4.0") == .double(4))
        #expect(try json("1e3") == .double(1000))
        #expect(try json("-2.5E-3") == .double(-0.0025))
        #expect(try json(#""hi""#) == .string("hi"))
    }

    @Test("integers that overflow Int become doubles")
    func bigIntegers() throws {
        #expect(try json("9223372036854775807") == .integer(.max))
        #expect(try json("-9223372036854775808") == .integer(.min))
        #expect(try json("9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test("string escapes, including surrogate pairs")
    func escapes() throws {
        #expect(try json(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\t"))
        #expect(try json(#""\u00e9\u4E2D""#) == .string("é中"))
        #expect(try json(#""\ud83e\udd99""#) == .string("🦙"))
        #expect(try json(#""raw 🦙 é""#) == .string("raw 🦙 é"))
    }

    @Test("doubles print shortest round-trip, integral doubles keep `.0`")
    func doubleFormatting() throws {
        #expect(JSONValue.double(0.7).serialized() == "0.7")
        #expect(JSONValue.double(1).serialized() == "1.0")
        #expect(JSONValue.double(-0.0025).serialized() == "-0.0025")
        #expect(JSONValue.double(.infinity).serialized() == "null")
        #expect(JSONValue.double(.nan).serialized() == "null")
        let big = JSONValue.double(1e300).serialized()
        #expect(try json(big) == .double(1e300))
    }

    @Test("strings serialise with JSON escapes")
    func stringEscaping() {
        #expect(JSONValue.string("a\"b\\c\n\u{01}é").serialized() == #""a\"b\\c\n\u0001é""#)
    }

    @Test(
        "nested bodies round-trip through parse and serialise",
        arguments: [
            #"{"a":[1,2.5,"x",null,true,false],"b":{"c":{"d":[]}},"e":{}}"#,
            #"[{"k":"v"},[[[]]],-1,0.1,1e+300]"#,
            #"{"messages":[{"content":"line1\nline2 \"q\"","role":"user"}],"model":"m","stream":true}"#,
            #""🦙""#,
        ])
    func roundTrip(_ text: String) throws {
        let value = try json(text)
        #expect(value.serialized() == text)
        #expect(try json(value.serialized()) == value)
    }

    @Test("keys are sorted by UTF-8 bytes")
    func sortedKeys() throws {
        let value = try json(#"{"b":1,"B":2,"a":3,"é":4,"aa":5}"#)
        #expect(value.serialized() == #"{"B":2,"a":3,"aa":5,"b":1,"é":4}"#)
        #expect(try json(value.serialized(sortedKeys: false)) == value)
    }

    @Test("a repeated key keeps its last value")
    func repeatedKey() throws {
        #expect(try json(#"{"a":1,"a":2}"#) == .object(["a": .integer(2)]))
    }

    @Test("512 levels of nesting are accepted")
    func maximumDepth() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try json(text).serialized() == text)
    }

    // MARK: - Errors

    @Test(
        "malformed JSON is rejected with an offset",
        arguments: [
            (#"{"a":1"#, 6),  // truncated object
            (#"[1,2"#, 4),  // truncated array
            (#""abc"#, 0),  // unterminated string
            (#"{"a":1,}"#, 7),  // trailing comma in object
            (#"[1,]"#, 3),  // trailing comma in array
            (#""\x""#, 1),  // bad escape
            (#""\u12G4""#, 1),  // bad hex
            (#""\ud83e""#, 1),  // lone high surrogate
            (#""\udd99""#, 1),  // lone low surrogate
            (#""\ud83e\u0041""#, 7),  // high surrogate with a non-low partner
            ("01", 0),  // leading zero
            ("1.", 2),  // no fraction digits
            ("1e", 2),  // no exponent digits
            ("-", 1),  // lone minus
            ("+1", 0),  // plus sign
            ("1e400", 0),  // overflows a double
            ("NaN", 0),
            ("tru", 0),
            ("", 0),
            ("   ", 3),
            ("{} x", 3),  // trailing garbage
            ("{'a':1}", 1),  // single quotes
            (#"{"a" 1}"#, 5),  // missing colon
            (#"{1:2}"#, 1),  // non-string key
            ("\"a\u{01}b\"", 2),  // raw control character
            ("[1 2]", 3),  // missing comma
        ])
    func malformed(_ text: String, _ offset: Int) {
        let error = parseError(text)
        #expect(error != nil, "\(text) should not parse")
        #expect(error?.offset == offset, "\(text): \(error?.message ?? "")")
        #expect(error?.message.isEmpty == false)
    }

    @Test("invalid UTF-8 inside a string is rejected")
    func invalidUTF8() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test("nesting deeper than 512 is rejected at the 513th bracket")
    func tooDeep() {
        let text = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = parseError(text)
        #expect(error?.offset == 512)
        #expect(error?.message.contains("512") == true)
        let objects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
        #expect(parseError(objects) != nil)
    }

    // MARK: - From YAML

    /// The root node of `yaml`.
    private func yamlRoot(_ yaml: String) throws -> YAMLNode {
        let composed = YAMLComposer.compose(SourceFile(name: "t.yaml", text: yaml))
        #expect(composed.diagnostics.isEmpty)
        return try #require(composed.root)
    }

    @Test("YAML plain scalars are typed; quoted and block scalars are strings")
    func fromYAML() throws {
        let root = try yamlRoot(
            """
            temperature: 0.7
            max_tokens: 4096
            hex: 0x10
            stream: true
            seed: ~
            empty:
            name: qwen
            quoted: "0.7"
            single: 'true'
            tagged: !!str 12
            block: |
              line
            list: [1, two, 3.5]
            nested:
              reasoning_effort: high
            """)
        let value = JSONValue(yaml: root)
        #expect(
            value
                == .object([
                    "temperature": .double(0.7),
                    "max_tokens": .integer(4096),
                    "hex": .integer(16),
                    "stream": .bool(true),
                    "seed": .null,
                    "empty": .null,
                    "name": .string("qwen"),
                    "quoted": .string("0.7"),
                    "single": .string("true"),
                    "tagged": .string("12"),
                    "block": .string("line\n"),
                    "list": .array([.integer(1), .string("two"), .double(3.5)]),
                    "nested": .object(["reasoning_effort": .string("high")]),
                ]))
    }

    @Test("YAML `yes` and `on` stay strings, as in YAML 1.2")
    func yamlNoNorwayProblem() throws {
        let value = JSONValue(yaml: try yamlRoot("a: yes\nb: on\nc: NO"))
        #expect(value == .object(["a": .string("yes"), "b": .string("on"), "c": .string("NO")]))
    }

    @Test("JSONValue is Codable as plain JSON-shaped data")
    func codable() throws {
        let value = try json(#"{"a":[1,2.5,"x",null,true],"b":{},"c":-7}"#)
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try json(String(decoding: data, as: UTF8.self)) == value)
    }
}
