#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Lexical path helpers for the watcher: absolute, `.`/`..`-free, no trailing slash.
///
/// Symbolic links are deliberately not resolved here; ``SymlinkChain`` does that where the
/// watcher needs it, because a ConfigMap's symlinks must stay visible as names.
enum WatchPath {
    /// The current working directory, or `/` if it cannot be read.
    static func currentDirectory() -> String {
        guard let buffer = getcwd(nil, 0) else { return "/" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// `path` made absolute against `base` and normalised lexically.
    static func absolute(_ path: String, relativeTo base: String = currentDirectory()) -> String {
        normalize(path.hasPrefix("/") ? path : base + "/" + path)
    }

    /// Removes empty and `.` components, applies `..` lexically and drops a trailing slash.
    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".":
                continue
            case "..":
                _ = components.popLast()
            default:
                components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// `name` inside `directory`.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part of a normalised absolute path (`/` for `/x` and for `/`).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a normalised absolute path.
    static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
