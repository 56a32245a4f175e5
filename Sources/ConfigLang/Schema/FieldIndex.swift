/// Finds a key among an object schema's few dozen field names.
///
/// Every key of every mapping in a config is looked up, so this is on the compiler's
/// hot path. Field names are short ASCII words: a small open-addressing table keyed
/// by the name's length and its first and last bytes finds the candidate in one or two
/// probes, and one string comparison (a bit compare for a short name) confirms it,
/// where a `[String: Int]` would run the full string hasher for every key.
struct FieldIndex: Sendable {
    /// Field positions plus one (0 = empty slot); the size is a power of two.
    private let slots: [Int32]

    /// Indexes `keys` (the first of equal keys wins).
    init(_ keys: [String]) {
        var size = 16
        while size < keys.count * 4 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (position, key) in keys.enumerated() {
            var slot = Self.hash(key) & (size - 1)
            var duplicate = false
            while slots[slot] != 0 {
                if keys[Int(slots[slot]) - 1] == key {
                    duplicate = true
                    break
                }
                slot = (slot + 1) & (size - 1)
            }
            if !duplicate { slots[slot] = Int32(position + 1) }
        }
        self.slots = slots
    }

    /// The position of `key` among the keys the index was built from (`fields`' keys).
    func position(of key: String, in fields: [FieldSchema]) -> Int? {
        let mask = slots.count - 1
        var slot = Self.hash(key) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if fields[entry - 1].key == key { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    /// Length, first and last byte: distinct for nearly every pair of field names.
    static func hash(_ key: String) -> Int {
        // Indexing by offset: `UTF8View.last` walks back through the string's index
        // machinery and costs several times as much on this path.
        let bytes = key.utf8
        let count = bytes.count
        guard count > 0 else { return 0 }
        let first = Int(bytes[bytes.startIndex])
        let last = Int(bytes[bytes.index(bytes.startIndex, offsetBy: count - 1)])
        return (count &* 31 &+ first &* 7 &+ last &* 13) ^ (count >> 2)
    }
}
