import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Runtime

/// The `Date` header's format, against dates worked out by hand.
struct HTTPDateTests {
    @Test(
        "IMF-fixdate of seconds since 1970",
        arguments: [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
            (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),  // RFC 9110's example
            (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (1_709_251_199, "Thu, 29 Feb 2024 23:59:59 GMT"),
            (1_795_617_424, "Wed, 25 Nov 2026 14:37:04 GMT"),
            (4_107_542_400, "Mon, 01 Mar 2100 00:00:00 GMT"),
            (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        ])
    func formats(seconds: Int, expected: String) {
        #expect(HTTPDate.format(secondsSince1970: seconds) == expected)
    }

    @Test("the cache answers the current second's date, read after read")
    func cacheIsCurrent() {
        let cache = HTTPDateCache()
        for _ in 0..<3 {
            // The second may tick between the reads: the value is one of the two.
            let before = HTTPDate.format(secondsSince1970: time(nil))
            let value = cache.current
            let after = HTTPDate.format(secondsSince1970: time(nil))
            #expect(value == before || value == after)
        }
    }
}
