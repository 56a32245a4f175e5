#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The symbolic links a path resolves through, and where it ends up.
///
/// For a Kubernetes ConfigMap mount, `/cfg/config.yaml` gives
/// `links == ["/cfg/config.yaml", "/cfg/..data"]` and
/// `resolved == "/cfg/..2026_11_25_10_00_00.123/config.yaml"`: replacing any of those names
/// changes what the config path reads, so events for them are relevant.
struct SymlinkChain: Sendable, Hashable {
    /// Every symbolic link met while resolving, as absolute lexical paths, in order.
    var links: [String]
    /// The path with every link resolved (the last component may not exist).
    var resolved: String

    /// Every path whose replacement changes what the original path reads.
    var paths: [String] { links + [resolved] }

    /// The longest chain followed before giving up, like the kernel's `MAXSYMLINKS`.
    static let maximumLinks = 40

    /// Resolves `path` (absolute and normalised) by reading each link with `readlink(2)`.
    ///
    /// Missing components are kept as they are, so a file that is being replaced still yields
    /// a chain; a loop stops after ``maximumLinks`` links.
    static func resolve(_ path: String) -> SymlinkChain {
        var pending = path.split(separator: "/").map(String.init)
        pending.reverse()
        var current = "/"
        var links: [String] = []
        while let component = pending.popLast() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                current = WatchPath.directory(of: current)
                continue
            }
            let candidate = WatchPath.join(current, component)
            guard links.count < maximumLinks, let target = readLink(candidate) else {
                current = candidate
                continue
            }
            links.append(candidate)
            if target.hasPrefix("/") { current = "/" }
            pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
        }
        return SymlinkChain(links: links, resolved: current)
    }

    private static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
