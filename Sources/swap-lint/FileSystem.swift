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
        while true {
            // Read straight into fresh storage, not through a zero-filled buffer copied
            // afterwards; a file the size `fstat` gave fits in the first round.
            var failed = false
            let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                initialized = 0
                while initialized < buffer.count {
                    let count = read(descriptor, buffer.baseAddress! + initialized, buffer.count - initialized)
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 { failed = true }
                    if count <= 0 { return }
                    initialized += count
                }
            }
            if failed { return nil }
            if bytes.isEmpty { bytes = chunk } else { bytes += chunk }
            if chunk.count < capacity { return bytes }
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

    /// The size of the regular file at `path` (symbolic links followed), or nil when
    /// there is none or it is something else (a directory, a pipe).
    static func regularFileSize(atPath path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
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
