import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sends ``SystemdNotification``s to the Unix datagram socket systemd names in
/// `$NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
///
/// Written by hand because the protocol is one `sendto(2)` per message and no Swift
/// package for it is available here. Sending never blocks and never throws: a service
/// manager that went away must not stop the server, so a failed send is reported by
/// the return value only.
///
/// Reload messages are dropped until ``announceReady(status:)`` was called once, so a
/// reload that runs while the server is still starting cannot tell systemd it is ready
/// before it listens.
public final class SystemdNotifier: Sendable {
    /// The notifier for this process, or nil when `$NOTIFY_SOCKET` is unset or empty
    /// (not started by systemd with `Type=notify`).
    ///
    /// Reading it the first time also removes `NOTIFY_SOCKET` from the environment, so
    /// backends started afterwards do not inherit it and cannot speak for swap-server.
    public static let process: SystemdNotifier? = {
        guard let raw = getenv("NOTIFY_SOCKET") else { return nil }
        let path = String(cString: raw)
        unsetenv("NOTIFY_SOCKET")
        return SystemdNotifier(socketPath: path)
    }()

    /// The socket address as given (`/run/systemd/notify` or `@name`).
    public let socketPath: String
    private let hasAnnouncedReady = Mutex(false)

    /// A notifier for `socketPath`, or nil when the path is empty or too long for a
    /// Unix socket address.
    public init?(socketPath: String) {
        guard !socketPath.isEmpty, socketPath.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            return nil
        }
        self.socketPath = socketPath
    }

    /// Sends `READY=1` and the status: the server listens, or a reload ended.
    public func announceReady(status: String) {
        hasAnnouncedReady.withLock { $0 = true }
        send(.ready(status: status))
    }

    /// Sends `RELOADING=1` with the current monotonic time, once the server is ready.
    public func reloadBegan() {
        guard hasAnnouncedReady.withLock({ $0 }) else { return }
        send(.reloading(monotonicMicroseconds: Self.monotonicMicroseconds()))
    }

    /// Sends `READY=1` and the status after a reload, once the server is ready.
    public func reloadEnded(status: String) {
        guard hasAnnouncedReady.withLock({ $0 }) else { return }
        send(.ready(status: status))
    }

    /// Sends `STOPPING=1`.
    public func announceStopping() {
        send(.stopping)
    }

    /// Sends one message as one datagram; false when it could not be sent.
    @discardableResult
    public func send(_ notification: SystemdNotification) -> Bool {
        #if os(Linux)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        // `@name` is Linux's abstract namespace: the address starts with a NUL byte and
        // its length counts only the bytes used.
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + pathBytes.count)
        let bytes = Array(notification.text.utf8)
        let sent = bytes.withUnsafeBytes { body in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT), $0, length)
                }
            }
        }
        return sent == bytes.count
    }

    /// `CLOCK_MONOTONIC` now, in microseconds: the clock systemd reads for `MONOTONIC_USEC`.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
