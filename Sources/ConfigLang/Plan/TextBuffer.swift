/// A growing UTF-8 buffer that the plan's JSON and YAML writers append to.
///
/// Scalars are written exactly as ``JSONValue/serialized(sortedKeys:)`` writes them:
/// the same string escapes (`\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other control
/// characters as lowercase `\u00XX`, everything else as is), `String(Int)` digits and
/// the shortest round-trip double, `null` when not finite.
///
/// A class over raw memory rather than an `[UInt8]`: appends are plain copies with no
/// uniqueness check. One buffer belongs to one writer; it is not `Sendable`.
final class TextBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    /// Where a streaming buffer hands its bytes whenever it is full (see ``init(streamingTo:capacity:)``).
    private let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?

    /// Creates an empty buffer with room for `capacity` bytes.
    convenience init(capacity: Int = 256) {
        self.init(capacity: capacity, sink: nil)
    }

    /// A buffer that passes its bytes to `sink` each time its `capacity` is full, and
    /// the rest on ``flush()``: a large document goes out through one small buffer
    /// instead of being built whole in memory and copied again.
    convenience init(streamingTo sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void, capacity: Int = 64 * 1024) {
        self.init(capacity: capacity, sink: sink)
    }

    private init(capacity: Int, sink: ((UnsafeBufferPointer<UInt8>) -> Void)?) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        self.sink = sink
    }

    /// Hands what is buffered to the sink (a streaming buffer only).
    func flush() {
        guard let sink, count > 0 else { return }
        sink(UnsafeBufferPointer(start: base, count: count))
        count = 0
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far.
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    /// Appends bytes as they are.
    func append(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0.baseAddress, count: $0.count) }
    }

    /// Appends ASCII text.
    func append(_ text: StaticString) {
        append(text.utf8Start, count: text.utf8CodeUnitCount)
    }

    /// Appends one byte.
    func append(byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    /// Appends text as it is.
    func append(contentsOf text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0.baseAddress, count: $0.count) }
        if done == nil {
            var text = text
            text.withUTF8 { append($0.baseAddress, count: $0.count) }
        }
    }

    /// Appends `count` spaces.
    func appendSpaces(_ spaces: Int) {
        reserve(spaces)
        (base + count).initialize(repeating: UInt8(ascii: " "), count: spaces)
        count += spaces
    }

    /// Appends a scalar token (not a key, bracket or brace) as JSON.
    func appendScalar(_ token: DisplayTree.Token) {
        switch token {
        case .null: append("null")
        case .bool(let flag): flag ? append("true") : append("false")
        case .integer(let integer): appendInteger(integer)
        case .double(let number): number.isFinite ? append(contentsOf: "\(number)") : append("null")
        case .string(let text): appendQuoted(text)
        case .rendered(let bytes): append(bytes: bytes)
        case .key, .beginObject, .endObject, .beginArray, .endArray:
            preconditionFailure("appendScalar takes scalars only")
        }
    }

    /// Appends the decimal digits of `value`, as `String(value)` spells it.
    func appendInteger(_ value: Int) {
        value.withDecimalDigits { append($0.baseAddress, count: $0.count) }
    }

    /// Appends `text` as a quoted JSON string.
    func appendQuoted(_ text: String) {
        append(byte: UInt8(ascii: "\""))
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            var text = text
            text.withUTF8 { appendEscaped($0) }
        }
        append(byte: UInt8(ascii: "\""))
    }

    private func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let source = utf8.baseAddress else { return }
        let end = utf8.count
        var start = 0
        var index = 0
        while index < end {
            // Eight bytes at a time while none of them needs an escape (most text).
            while index + 8 <= end, !Self.needsEscape(Self.word(at: source + index)) { index += 8 }
            guard index < end else { break }
            if end - index < 8 {
                // The last few bytes, tested as one word padded with a byte that passes.
                var tail: UInt64 = 0x6161_6161_6161_6161
                withUnsafeMutableBytes(of: &tail) {
                    $0.baseAddress!.copyMemory(from: source + index, byteCount: end - index)
                }
                if !Self.needsEscape(tail) { break }
            }
            let byte = source[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                append(source + start, count: index - start)
                appendEscape(byte)
                start = index + 1
            }
            index += 1
        }
        append(source + start, count: end - start)
    }

    @inline(__always)
    private static func word(at pointer: UnsafePointer<UInt8>) -> UInt64 {
        UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self)
    }

    /// Whether any of the eight bytes in `word` is a control character, `"` or `\`.
    /// (Bytes of 0x80 and above never match: UTF-8 continuation and lead bytes pass.)
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte below 0x20: (b - 0x20) borrows into its high bit while b itself has it clear.
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote & highs
        let zeroBackslash = (backslash &- ones) & ~backslash & highs
        return control | zeroQuote | zeroBackslash != 0
    }

    private func appendEscape(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case UInt8(ascii: "\n"): append("\\n")
        case UInt8(ascii: "\r"): append("\\r")
        case UInt8(ascii: "\t"): append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        default:
            let hex: StaticString = "0123456789abcdef"
            append("\\u00")
            append(byte: hex.utf8Start[Int(byte >> 4)])
            append(byte: hex.utf8Start[Int(byte & 0xF)])
        }
    }

    private func append(_ source: UnsafePointer<UInt8>?, count length: Int) {
        guard let source, length > 0 else { return }
        reserve(length)
        (base + count).update(from: source, count: length)
        count += length
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        if count + extra > capacity { grow(extra) }
    }

    private func grow(_ extra: Int) {
        if sink != nil {
            // Every append reserves before it writes, so the buffer can be emptied here.
            flush()
            if extra <= capacity { return }
        }
        let newCapacity = max(capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
