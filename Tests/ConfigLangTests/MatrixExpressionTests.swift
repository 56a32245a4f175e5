import Testing

@testable import ConfigLang

/// Parses `text`, failing the test on an error.
private func parse(_ text: String) throws(MatrixExpressionError) -> MatrixExpression {
    try MatrixExpression.parse(text)
}

/// The parse error for `text`, or nil when it parses.
private func parseError(_ text: String) -> MatrixExpressionError? {
    do {
        _ = try MatrixExpression.parse(text)
        return nil
    } catch {
        return error
    }
}

/// Expands `text` with the sets in `sets` (parsed on demand) available to `+ref`.
private func expand(_ text: String, sets: [String: String] = [:]) throws(MatrixExpressionError) -> [[String]] {
    try parse(text).expand { name in sets[name].flatMap { try? MatrixExpression.parse($0) } }
}

/// The expansion error for the set `name` among `sets`, or nil when it expands.
private func expansionError(ofSet name: String, in sets: [String: String]) -> MatrixExpressionError? {
    do {
        _ = try MatrixExpression.expand(setNamed: name) { sets[$0].flatMap { try? MatrixExpression.parse($0) } }
        return nil
    } catch {
        return error
    }
}

@Suite("Matrix set expressions")
struct MatrixExpressionTests {
    // MARK: - The reference's examples

    @Test("a single model ID is one set")
    func single() throws {
        #expect(try expand("model-a") == [["model-a"]])
    }

    @Test("`a & b` is one set of both")
    func and() throws {
        #expect(try expand("a & b") == [["a", "b"]])
    }

    @Test("`a | b` is two sets")
    func or() throws {
        #expect(try expand("a | b") == [["a"], ["b"]])
    }

    @Test("`(a | b) & c` distributes")
    func distribute() throws {
        #expect(try expand("(a | b) & c") == [["a", "c"], ["b", "c"]])
    }

    @Test("`(a | b) & (c | d)` is the product, left operand slowest")
    func product() throws {
        #expect(try expand("(a | b) & (c | d)") == [["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"]])
    }

    @Test("`+llms & v` inlines the llms set, then ANDs with v")
    func inlineReference() throws {
        #expect(try expand("+llms & v", sets: ["llms": "g | q"]) == [["g", "v"], ["q", "v"]])
    }

    @Test("the reference's named sets expand as its comments say")
    func referenceSets() throws {
        #expect(try expand("(g | qwen-model | m) & v") == [["g", "v"], ["qwen-model", "v"], ["m", "v"]])
        #expect(try expand("(g | q) & v & e") == [["e", "g", "v"], ["e", "q", "v"]])
        #expect(try expand("(g | q) & stable-diffusion") == [["g", "stable-diffusion"], ["q", "stable-diffusion"]])
        #expect(try expand("llama-70B") == [["llama-70B"]])
    }

    // MARK: - Parsing

    @Test("`&` binds tighter than `|`")
    func precedence() throws {
        #expect(
            try parse("a | b & c")
                == .or([.name("a", offset: 0), .and([.name("b", offset: 4), .name("c", offset: 8)])]))
        #expect(try expand("a | b & c") == [["a"], ["b", "c"]])
        #expect(try expand("a & b | c") == [["a", "b"], ["c"]])
    }

    @Test("parentheses override precedence")
    func parenthesesOverride() throws {
        #expect(try expand("a & (b | c)") == [["a", "b"], ["a", "c"]])
    }

    @Test("chains are n-ary and same-operator parentheses flatten")
    func flattening() throws {
        let expected = MatrixExpression.and([.name("a", offset: 0), .name("b", offset: 5), .name("c", offset: 9)])
        #expect(try parse("a & (b & c)") == expected)
        #expect(try parse("((a)) & b & c").names.map(\.name) == ["a", "b", "c"])
    }

    @Test("references record the `+` offset; names their first character")
    func offsets() throws {
        let expression = try parse("  x &\t+set_1 | (y)")
        #expect(expression.names.map(\.offset) == [2, 16])
        #expect(expression.references.map(\.name) == ["set_1"])
        #expect(expression.references.map(\.offset) == [6])
    }

    @Test("names allow letters, digits, `-`, `.`, `_`, `:` and `/`")
    func nameCharacters() throws {
        #expect(
            try expand("org/Model-7B.Q4_K_M:latest & modèle2")
                == [["modèle2", "org/Model-7B.Q4_K_M:latest"]])
    }

    @Test("blanks are optional and may include newlines")
    func blanks() throws {
        #expect(try expand("(a|b)&c") == expand(" ( a | b )\n&\tc "))
        #expect(try parse("a\n|\r\n b") == .or([.name("a", offset: 0), .name("b", offset: 6)]))
    }

    @Test("deep nesting")
    func nesting() throws {
        #expect(
            try expand("((a | (b & c)) & (d | (e & (f | g))))")
                == [
                    ["a", "d"], ["a", "e", "f"], ["a", "e", "g"], ["b", "c", "d"], ["b", "c", "e", "f"],
                    ["b", "c", "e", "g"],
                ])
    }

    // MARK: - Expansion details

    @Test("each set is sorted and holds a name once; duplicate sets are dropped")
    func normalisation() throws {
        #expect(try expand("z & a & z") == [["a", "z"]])
        #expect(try expand("a | a | b & a | a & b") == [["a"], ["a", "b"]])
        #expect(try expand("(b | a) & (a | b)") == [["a", "b"], ["b"], ["a"]])
    }

    @Test("vars are returned as written, not substituted")
    func varsNotSubstituted() throws {
        #expect(try expand("g & v") == [["g", "v"]])
    }

    @Test("references nest through several sets")
    func nestedReferences() throws {
        let sets = ["llms": "+small | big", "small": "g | q", "tts": "v"]
        #expect(try expand("+llms & +tts", sets: sets) == [["g", "v"], ["q", "v"], ["big", "v"]])
        #expect(
            try MatrixExpression.expand(setNamed: "llms") { sets[$0].flatMap { try? parse($0) } } == [
                ["g"], ["q"], ["big"],
            ])
    }

    @Test("the same set may be referenced twice without being a cycle")
    func diamond() throws {
        let sets = ["a": "+c & x", "b": "+c & y", "c": "z"]
        #expect(try expand("+a | +b", sets: sets) == [["x", "z"], ["y", "z"]])
    }

    @Test("an unknown reference is an error at the `+`")
    func unknownReference() {
        do {
            _ = try expand("a & +nope")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unknownReference("nope"))
            #expect(error.offset == 4)
            #expect(error.message.contains("nope"))
        }
    }

    @Test("an unknown reference inside another set is reported at the outer `+`")
    func unknownNestedReference() {
        do {
            _ = try expand("x | +inner", sets: ["inner": "+missing"])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unknownReference("missing"))
            #expect(error.offset == 4)
            #expect(error.message.contains("inner"))
        }
    }

    @Test("expanding an undefined set by name is an unknown reference")
    func unknownSetByName() {
        #expect(expansionError(ofSet: "ghost", in: [:])?.kind == .unknownReference("ghost"))
    }

    // MARK: - Cycles

    @Test("a set that references itself is a cycle")
    func selfCycle() {
        let error = expansionError(ofSet: "a", in: ["a": "b & +a"])
        #expect(error?.kind == .cycle(["a", "a"]))
        #expect(error?.offset == 4)
        #expect(error?.message.contains("+a → +a") == true)
    }

    @Test("a cycle through other sets reports the chain")
    func indirectCycle() {
        let sets = ["a": "x | +b", "b": "+c & y", "c": "(+a)"]
        let error = expansionError(ofSet: "a", in: sets)
        #expect(error?.kind == .cycle(["a", "b", "c", "a"]))
        #expect(error?.offset == 4)
        #expect(error?.message.contains("+a → +b → +c → +a") == true)
    }

    @Test("expanding an expression that reaches a cycle reports the cycle only")
    func cycleFromOutside() {
        do {
            _ = try expand("+top", sets: ["top": "+p", "p": "+q", "q": "+p"])
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .cycle(["p", "q", "p"]))
            #expect(error.offset == 0)
        }
    }

    @Test("an expansion that would explode is rejected")
    func tooManySets() {
        let wide = "(" + (0..<10).map { "m\($0)" }.joined(separator: " | ") + ")"
        let text = Array(repeating: wide, count: 5).joined(separator: " & ")
        #expect(throws: MatrixExpressionError.self) { try expand(text) }
        do {
            _ = try expand(text)
        } catch {
            #expect(error.kind == .tooManySets)
        }
    }

    // MARK: - Syntax errors

    @Test(
        "syntax errors say what was expected, at a byte offset",
        arguments: [
            ("", MatrixExpressionError.Kind.unexpectedEnd, 0, "expected a model ID"),
            ("   ", .unexpectedEnd, 3, "found the end"),
            ("a &", .unexpectedEnd, 3, "after `&`"),
            ("a |  ", .unexpectedEnd, 5, "after `|`"),
            ("a & & b", .unexpectedCharacter, 4, "after `&`, found `&`"),
            ("a b", .unexpectedCharacter, 2, "expected `&`, `|` or the end"),
            ("a)", .unexpectedCharacter, 1, "no matching `(`"),
            ("| a", .unexpectedCharacter, 0, "found `|`"),
            ("a & $x", .unexpectedCharacter, 4, "found `$`"),
            ("a,b", .unexpectedCharacter, 1, "found `,`"),
            ("()", .emptyParentheses, 0, "empty"),
            ("a & ( )", .emptyParentheses, 4, "empty"),
            ("(a | b", .missingCloseParenthesis, 0, "expected `)`"),
            ("x & ((a)", .missingCloseParenthesis, 4, "never closed"),
            ("(a b)", .unexpectedCharacter, 3, "`&`, `|` or `)`"),
            ("+", .unexpectedEnd, 1, "set name right after `+`"),
            ("+ a", .unexpectedCharacter, 1, "set name right after `+`"),
            ("++a", .unexpectedCharacter, 1, "found `+`"),
            ("é & ☕", .unexpectedCharacter, 5, "found `☕`"),
        ])
    func syntaxErrors(_ text: String, _ kind: MatrixExpressionError.Kind, _ offset: Int, _ fragment: String) {
        let error = parseError(text)
        #expect(error?.kind == kind, "\(text)")
        #expect(error?.offset == offset, "\(text): \(error?.message ?? "no error")")
        #expect(error?.message.contains(fragment) == true, "\(text): \(error?.message ?? "no error")")
    }
}
