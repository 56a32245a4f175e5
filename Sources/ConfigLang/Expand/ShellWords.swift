/// Why a command line could not be split into words.
///
/// `offset` is the UTF-8 byte offset, in the text given to ``ShellWords/split(_:)``,
/// of the quote that was never closed or of the lone trailing backslash.
public struct ShellWordsError: Error, Sendable, Hashable {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A `'` with no closing `'`.
        case unterminatedSingleQuote
        /// A `"` with no closing `"`.
        case unterminatedDoubleQuote
        /// A `\` as the very last character, with nothing to escape.
        case trailingBackslash
    }

    /// What went wrong.
    public var kind: Kind
    /// UTF-8 byte offset where the quote opened or the backslash is.
    public var offset: Int
    /// One sentence saying what is wrong and what to do.
    public var message: String
    /// The words as llama-swap's splitter reads the same text: the open quote closed at
    /// the end, the lone trailing backslash dropped.
    public var words: [String]

    /// Creates an error.
    public init(kind: Kind, offset: Int, message: String, words: [String] = []) {
        self.kind = kind
        self.offset = offset
        self.message = message
        self.words = words
    }
}

/// Splits a command line into argv words the way a POSIX shell does, without
/// running a shell and without expanding variables, globs or `~`.
///
/// ```swift
/// try ShellWords.split(#"llama-server --x="a b"c -m '/models/my model.gguf'"#)
/// // ["llama-server", "--x=a bc", "-m", "/models/my model.gguf"]
/// ```
///
/// `#` is an ordinary character here; call ``stripCommentLines(_:)`` first to drop
/// whole comment lines as llama-swap does for `cmd` and `cmdStop`.
public enum ShellWords {
    /// `text` without the lines whose first non-blank character is `#`.
    ///
    /// Other lines are kept byte for byte, joined by `\n`; a trailing newline stays.
    public static func stripCommentLines(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var removed = false
        var first = true
        var lineStart = 0
        while lineStart <= bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var visible = lineStart
            while visible < lineEnd,
                bytes[visible] == UInt8(ascii: " ") || bytes[visible] == UInt8(ascii: "\t")
                    || bytes[visible] == UInt8(ascii: "\r")
            {
                visible += 1
            }
            if visible < lineEnd, bytes[visible] == UInt8(ascii: "#") {
                removed = true
            } else {
                if !first { output.append(UInt8(ascii: "\n")) }
                output += bytes[lineStart..<lineEnd]
                first = false
            }
            lineStart = lineEnd + 1
        }
        return removed ? String(decoding: output, as: UTF8.self) : text
    }

    /// The words of `text`.
    ///
    /// - Blanks (space, tab, newline) separate words; runs of them count once.
    /// - `'…'` keeps everything literally; `''` alone is an empty word.
    /// - `"…"` keeps everything except `\` before `$`, `` ` ``, `"`, `\` (which
    ///   yields that character) and before a newline (both are removed).
    /// - Outside quotes `\` makes the next character literal; `\` before a newline is
    ///   a line continuation and is removed.
    /// - Adjacent quoted and unquoted parts join into one word.
    public static func split(_ text: String) throws(ShellWordsError) -> [String] {
        let bytes = Array(text.utf8)
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var index = 0

        func finishWord() {
            if inWord {
                words.append(String(decoding: word, as: UTF8.self))
            }
            word.removeAll(keepingCapacity: true)
            inWord = false
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case .space, .tab, .newline:
                finishWord()
                index += 1
            case .backslash:
                guard index + 1 < bytes.count else {
                    finishWord()
                    throw ShellWordsError(
                        kind: .trailingBackslash, offset: index,
                        message: "the command ends with a lone `\\`; remove it or escape it as `\\\\`", words: words)
                }
                if bytes[index + 1] != .newline {
                    word.append(bytes[index + 1])
                    inWord = true
                }
                index += 2
            case .singleQuote:
                let open = index
                index += 1
                while index < bytes.count, bytes[index] != .singleQuote {
                    word.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else {
                    inWord = true
                    finishWord()
                    throw ShellWordsError(
                        kind: .unterminatedSingleQuote, offset: open,
                        message: "the `'` opened here is never closed; add a closing `'`", words: words)
                }
                inWord = true
                index += 1
            case .doubleQuote:
                let open = index
                index += 1
                var closed = false
                while index < bytes.count {
                    let inner = bytes[index]
                    if inner == .doubleQuote {
                        closed = true
                        index += 1
                        break
                    }
                    if inner == .backslash, index + 1 < bytes.count {
                        let next = bytes[index + 1]
                        if next == .newline {
                            index += 2
                            continue
                        }
                        if next == .dollar || next == .backtick || next == .doubleQuote || next == .backslash {
                            word.append(next)
                            index += 2
                            continue
                        }
                    }
                    word.append(inner)
                    index += 1
                }
                guard closed else {
                    inWord = true
                    finishWord()
                    throw ShellWordsError(
                        kind: .unterminatedDoubleQuote, offset: open,
                        message: "the `\"` opened here is never closed; add a closing `\"`", words: words)
                }
                inWord = true
            default:
                word.append(byte)
                inWord = true
                index += 1
            }
        }
        finishWord()
        return words
    }
}
