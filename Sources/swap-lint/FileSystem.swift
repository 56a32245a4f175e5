#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system calls the commands make, straight to the C library.
enum FileSystem {
    /// The whole file at `path`, or nil when it cannot be opened or read (a directory
    /// cannot be read either).
    static func contents(atPath path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        var capacity = 64 * 1024
        if fstat(descriptor, &status) == 0, status.st_size > 0 { capacity = Int(status.st_size) + 1 }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: capacity)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }

    /// The names in the directory at `path` (without `.` and `..`), or nil when it
    /// cannot be opened.
    static func directoryEntries(atPath path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// True when something exists at `path` (symbolic links followed).
    static func exists(atPath path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0
    }

    /// True when the current user may execute the file at `path`.
    static func isExecutable(atPath path: String) -> Bool {
        access(path, X_OK) == 0
    }
}
