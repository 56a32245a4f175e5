import ConfigLang

/// The member names of a JSON object's outermost level, in order and with repeats,
/// which a parsed ``JSONValue`` (a dictionary) cannot tell: a body with two `model`
/// keys must be refused, because swap routes by one and a backend may read the other.
enum TopLevelKeys {
    /// The outermost keys of `bytes`, which must already have parsed as a JSON object.
    static func of(_ bytes: [UInt8]) -> [String] {
        var keys: [String] = []
        var depth = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                index += 1
                guard depth == 1 else { continue }
                var next = index
                while next < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[next]) { next += 1 }
                guard next < bytes.count, bytes[next] == UInt8(ascii: ":") else { continue }
                let quoted = Array(bytes[start..<min(index, bytes.count)])
                if case .string(let key)? = try? JSONValue(parsing: quoted) { keys.append(key) }
            default:
                index += 1
            }
        }
        return keys
    }
}
