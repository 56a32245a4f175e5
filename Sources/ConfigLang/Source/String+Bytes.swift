#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension StringProtocol {
    /// True when the UTF-8 bytes of `needle` occur in the string. A plain byte scan:
    /// the compiler calls this on every scalar, where Foundation's `contains` is slow.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { pattern in
            utf8.withContiguousStorageIfAvailable { ByteSearch.contains($0, pattern) }
                ?? Array(utf8).withUnsafeBufferPointer { ByteSearch.contains($0, pattern) }
        }
    }
}

/// A plain search for a byte pattern, `memchr` finding the candidates many bytes at a time.
enum ByteSearch {
    /// The index of the first `byte` in `haystack` at or after `start`, or nil.
    static func firstIndex(of byte: UInt8, in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < haystack.count, let base = haystack.baseAddress,
            let hit = memchr(base + start, Int32(byte), haystack.count - start)
        else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// True when `pattern` occurs in `haystack` (an empty pattern always does).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = pattern.first else { return true }
        guard haystack.count >= pattern.count, let base = haystack.baseAddress else { return false }
        let last = haystack.count - pattern.count
        // Only where the whole pattern still fits.
        let candidates = UnsafeBufferPointer(start: base, count: last + 1)
        var index = 0
        while let hit = firstIndex(of: first, in: candidates, from: index) {
            index = hit
            var matched = 1
            while matched < pattern.count, haystack[index + matched] == pattern[matched] { matched += 1 }
            if matched == pattern.count { return true }
            index += 1
        }
        return false
    }
}
