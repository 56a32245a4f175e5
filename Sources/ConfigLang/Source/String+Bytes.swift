extension StringProtocol {
    /// True when the UTF-8 bytes of `needle` occur in the string.
    func containsBytes(_ needle: String) -> Bool {
        utf8.containsBytes(of: needle)
    }
}

extension Collection<UInt8> {
    /// True when the UTF-8 bytes of `needle` occur in the collection (an empty needle
    /// always does).
    func containsBytes(of needle: String) -> Bool {
        guard let first = needle.utf8.first else { return true }
        var start = startIndex
        while let hit = self[start...].firstIndex(of: first) {
            if self[hit...].starts(with: needle.utf8) { return true }
            start = index(after: hit)
        }
        return false
    }
}
