import Foundation

/// Waiting helpers shared by the integration and end-to-end tests.
public enum Polling {
    /// True while `pid` is a live process (a zombie waiting to be reaped counts as gone).
    public static func isAlive(_ pid: Int) -> Bool {
        guard pid > 0, kill(pid_t(pid), 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Checks `condition` every `interval` until it holds or `timeout` passes; the
    /// result of a last check at the deadline.
    public static func eventually(
        within timeout: Duration, every interval: Duration, _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: interval)
        }
        return try await condition()
    }
}
