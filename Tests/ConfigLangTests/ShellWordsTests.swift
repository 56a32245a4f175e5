import SwapTestSupport
import Testing

@testable import ConfigLang

@Suite("Shell word splitting")
struct ShellWordsTests {
    // MARK: - Comment lines

    @Test("comment lines are removed, other lines kept byte for byte")
    func stripsCommentLines() {
        let text = "llama-server\n# a comment\n  --port 8080\n\t# indented comment\n--ctx 4096\n"
        #expect(ShellWords.stripCommentLines(text) == "llama-server\n  --port 8080\n--ctx 4096\n")
    }

    @Test("a `#` after other text is not a comment line")
    func inlineHashIsKept() {
        #expect(ShellWords.stripCommentLines("a #b\n#c") == "a #b")
        #expect(ShellWords.stripCommentLines("--color=#fff") == "--color=#fff")
    }

    @Test("text of only comments becomes empty")
    func onlyComments() {
        #expect(ShellWords.stripCommentLines("# one\n  # two") == "")
        #expect(ShellWords.stripCommentLines("") == "")
    }

    // MARK: - Splitting

    @Test("blanks separate words; runs of blanks count once")
    func blanksSeparate() throws {
        #expect(try ShellWords.split("  a   b\tc\n\nd  ") == ["a", "b", "c", "d"])
    }

    @Test("empty and blank text has no words")
    func emptyText() throws {
        #expect(try ShellWords.split("") == [])
        #expect(try ShellWords.split(" \t\n ") == [])
    }

    @Test("single quotes keep everything literally")
    func singleQuotes() throws {
        #expect(try ShellWords.split(#"'a b' '$HOME \n "x"' '\'"#) == ["a b", #"$HOME \n "x""#, "\\"])
    }

    @Test("JSON in single quotes survives intact")
    func jsonInSingleQuotes() throws {
        let words = try ShellWords.split(#"llama-server --chat-template-kwargs '{"a": true, "b": [1, 2]}' -v"#)
        #expect(words == ["llama-server", "--chat-template-kwargs", #"{"a": true, "b": [1, 2]}"#, "-v"])
    }

    @Test("double quotes keep blanks and most backslashes")
    func doubleQuotes() throws {
        #expect(try ShellWords.split(#""a  b" "c\nd" "e\tf""#) == ["a  b", #"c\nd"#, #"e\tf"#])
    }

    @Test("inside double quotes a backslash escapes $, `, \", \\ only")
    func doubleQuoteEscapes() throws {
        #expect(try ShellWords.split(#""\$x \`y\` \"z\" \\ \a""#) == [#"$x `y` "z" \ \a"#])
    }

    @Test("backslash-newline inside double quotes is removed")
    func doubleQuoteContinuation() throws {
        #expect(try ShellWords.split("\"ab\\\ncd\"") == ["abcd"])
    }

    @Test("single quotes inside double quotes and the reverse are literal")
    func nestedQuoteKinds() throws {
        #expect(try ShellWords.split(#""it's" 'say "hi"'"#) == ["it's", #"say "hi""#])
    }

    @Test("adjacent quoted and unquoted parts join into one word")
    func adjacentPartsJoin() throws {
        #expect(try ShellWords.split(#"--x="a b"c"#) == ["--x=a bc"])
        #expect(try ShellWords.split(#"a'b c'"d e"f"#) == ["ab cd ef"])
    }

    @Test("empty quotes yield an empty word")
    func emptyQuotes() throws {
        #expect(try ShellWords.split("''") == [""])
        #expect(try ShellWords.split(#"a "" b ''"#) == ["a", "", "b", ""])
        #expect(try ShellWords.split(#"x''"#) == ["x"])
    }

    @Test("outside quotes a backslash escapes the next character")
    func escapedCharacters() throws {
        #expect(
            try ShellWords.split(#"/models/my\ model.gguf a\\b \'q\' \"d\""#)
                == ["/models/my model.gguf", #"a\b"#, "'q'", #""d""#])
    }

    @Test("an escaped tab is part of the word")
    func escapedTab() throws {
        #expect(try ShellWords.split("a\\\tb\tc") == ["a\tb", "c"])
    }

    @Test("backslash-newline outside quotes continues the line")
    func lineContinuation() throws {
        #expect(
            try ShellWords.split("llama-server \\\n  --port 8080 \\\n  -m x") == [
                "llama-server", "--port", "8080", "-m", "x",
            ])
        #expect(try ShellWords.split("ab\\\ncd") == ["abcd"])
    }

    @Test("a `|` block with comment lines becomes argv")
    func literalBlockWithComments() throws {
        let block = """
            # the server
            /usr/bin/llama-server
              --port ${PORT}
              # --flash-attn
              -m "/models/Qwen 3.gguf"
              --chat-template-kwargs '{"enable_thinking": false}'

            """
        let words = try ShellWords.split(ShellWords.stripCommentLines(block))
        #expect(
            words == [
                "/usr/bin/llama-server", "--port", "${PORT}", "-m", "/models/Qwen 3.gguf",
                "--chat-template-kwargs", #"{"enable_thinking": false}"#,
            ])
    }

    @Test("a `>` folded block (one line) splits the same way")
    func foldedBlock() throws {
        let folded = "llama-server --port 9000 -m 'a b.gguf' --temp 0.7\n"
        #expect(try ShellWords.split(folded) == ["llama-server", "--port", "9000", "-m", "a b.gguf", "--temp", "0.7"])
    }

    @Test("no expansion happens")
    func noExpansion() throws {
        #expect(
            try ShellWords.split("$HOME ~ *.gguf `id` $(x) ${PORT}") == [
                "$HOME", "~", "*.gguf", "`id`", "$(x)", "${PORT}",
            ])
    }

    @Test("`#` is an ordinary character when splitting")
    func hashIsOrdinary() throws {
        #expect(try ShellWords.split("a #b") == ["a", "#b"])
    }

    @Test("unicode passes through, quoted or escaped")
    func unicode() throws {
        #expect(try ShellWords.split("模型 'café ☕' naïve\\ ü 🦙") == ["模型", "café ☕", "naïve ü", "🦙"])
    }

    // MARK: - Errors

    @Test("an unterminated single quote reports where it opened")
    func unterminatedSingleQuote() {
        #expect(throws: ShellWordsError.self) { try ShellWords.split("a 'bc") }
        // The words llama-swap's splitter (billziss-gh/golib shlex) makes of the same text.
        #expect(
            throws: ShellWordsError(
                kind: .unterminatedSingleQuote, offset: 2,
                message: "the `'` opened here is never closed; add a closing `'`",
                words: ["a", "b c"])
        ) { try ShellWords.split("a 'b c") }
        #expect(
            throws: ShellWordsError(
                kind: .unterminatedDoubleQuote, offset: 3,
                message: "the `\"` opened here is never closed; add a closing `\"`", words: ["-m", "/x y"])
        ) {
            try ShellWords.split("-m \"/x y")
        }
        #expect(
            throws: ShellWordsError(
                kind: .trailingBackslash, offset: 4,
                message: "the command ends with a lone `\\`; remove it or escape it as `\\\\`", words: ["a", "b"])
        ) {
            try ShellWords.split("a b \\")
        }
        do {
            _ = try ShellWords.split("ab 'c d")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unterminatedSingleQuote)
            #expect(error.offset == 3)
            #expect(error.message.contains("'"))
        }
    }

    @Test("an unterminated double quote reports where it opened, even after escapes")
    func unterminatedDoubleQuote() {
        do {
            _ = try ShellWords.split(#"x "a\" b"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unterminatedDoubleQuote)
            #expect(error.offset == 2)
        }
        do {
            _ = try ShellWords.split(#""abc\"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unterminatedDoubleQuote)
            #expect(error.offset == 0)
        }
    }

    @Test("offsets count UTF-8 bytes")
    func offsetsAreBytes() {
        do {
            _ = try ShellWords.split("é \"x")
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 3)
        }
    }

    @Test("a trailing backslash is an error at the backslash")
    func trailingBackslash() {
        do {
            _ = try ShellWords.split("a b\\")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .trailingBackslash)
            #expect(error.offset == 3)
        }
    }

    @Test("a quote inside the other kind of quote never counts as unterminated")
    func quoteInsideOtherQuote() throws {
        #expect(try ShellWords.split(#"'"' "'""#) == [#"""#, "'"])
    }
}
