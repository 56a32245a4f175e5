/// A `${name}` reference inside a scalar.
public struct MacroReference: Sendable, Hashable {
    /// The name between the braces (`env.HOME`, `PORT`, `ctx`).
    public var name: String
    /// The byte range of the whole `${…}` in the scalar's UTF-8 text.
    public var range: Range<Int>

    /// All references in `text`, in order. Names are what llama-swap allows in a
    /// macro (`[A-Za-z0-9_-]`) plus the `env.` prefix.
    public static func scan(_ text: String) -> [MacroReference] {
        scan(Array(text.utf8))
    }

    private static func scan(_ bytes: [UInt8]) -> [MacroReference] {
        var result: [MacroReference] = []
        var index = 0
        while index + 2 < bytes.count {
            guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            var end = index + 2
            while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "}"), end > index + 2 {
                let name = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
                result.append(MacroReference(name: name, range: index..<(end + 1)))
                index = end + 1
            } else {
                index += 2
            }
        }
        return result
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    /// Replaces each reference with `replacement(reference)` (nil keeps it as written).
    public static func substitute(_ text: String, _ replacement: (MacroReference) -> String?) -> String {
        let bytes = Array(text.utf8)
        let references = scan(bytes)
        guard !references.isEmpty else { return text }
        var output: [UInt8] = []
        var cursor = 0
        for reference in references {
            output += bytes[cursor..<reference.range.lowerBound]
            if let value = replacement(reference) {
                output += value.utf8
            } else {
                output += bytes[reference.range]
            }
            cursor = reference.range.upperBound
        }
        output += bytes[cursor...]
        return String(decoding: output, as: UTF8.self)
    }
}
