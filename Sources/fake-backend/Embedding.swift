/// Deterministic stand-in embeddings: the same text gives the same vector in every process
/// and on every run (Swift's `Hasher` is seeded per process, so it is not used).
enum Embedding {
    /// Number of floats in every vector.
    static let dimensions = 8

    /// A vector of ``dimensions`` values in `[-1, 1]` derived from the FNV-1a hash of `text`.
    static func vector(for text: String) -> [Double] {
        var state = fnv1a(text)
        return (0..<dimensions).map { _ in
            let unit = Double(splitMix(&state) >> 11) / Double(UInt64(1) << 53)
            return ((unit * 2 - 1) * 1_000_000).rounded() / 1_000_000
        }
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }
}
