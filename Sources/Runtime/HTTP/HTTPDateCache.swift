import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The current `Date` header value, formatted at most once a second (when a request
/// asks for it in a new second), so that answering a request formats no date.
final class HTTPDateCache: Sendable {
    private let cached = Mutex<(second: Int, value: String)>((-1, ""))

    /// The `Date` header for now.
    var current: String {
        let now = time(nil)
        return cached.withLock { cached in
            if cached.second != now {
                cached = (now, HTTPDate.format(secondsSince1970: now))
            }
            return cached.value
        }
    }
}
