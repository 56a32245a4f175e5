#if canImport(Glibc)
    import Glibc
#endif

/// A cheap "is anything listening yet?" check for backends on this machine.
enum LoopbackProbe {
    /// The port of an `http://127.x.x.x:PORT…` or `http://localhost:PORT…` URL, else nil.
    static func port(ofLoopbackURL url: String) -> Int? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        guard let colon = authority.lastIndex(of: ":") else { return nil }
        let host = authority[..<colon]
        guard host == "localhost" || host.hasPrefix("127.") else { return nil }
        return Int(authority[authority.index(after: colon)...])
    }

    /// True when a TCP connection to 127.0.0.1:`port` is accepted (on loopback a refused
    /// connect returns at once, so this never blocks for long).
    static func accepts(_ port: Int) -> Bool {
        withLoopbackSocket(port) { fd, address, length in connect(fd, address, length) == 0 }
    }

    /// True when 127.0.0.1:`port` can be bound now (nothing listens there and no
    /// connection uses it as its local port).
    static func canBind(_ port: Int) -> Bool {
        withLoopbackSocket(port) { fd, address, length in
            var reuse: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            return bind(fd, address, length) == 0
        }
    }

    /// Runs `body` with a fresh TCP socket and the address 127.0.0.1:`port`, then closes
    /// the socket. Without a socket (out of descriptors) the answer is `true`: the probe
    /// cannot tell, and the real start or request that follows reports the problem.
    private static func withLoopbackSocket(
        _ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
    ) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return true }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}
