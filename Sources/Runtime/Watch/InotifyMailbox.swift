import Foundation

/// The lock-protected command queue between async code and the inotify thread.
///
/// `@unchecked Sendable` is safe because `commands` and `nextIdentifier` are only read or
/// written while `condition`'s lock is held, and `condition` (an `NSCondition`) is itself
/// thread-safe; the values that cross the lock (``InotifyCommand``) are `Sendable`.
final class InotifyMailbox: @unchecked Sendable {
    private let condition = NSCondition()
    private var commands: [InotifyCommand] = []
    private var nextIdentifier: UInt64 = 0

    /// A fresh subscription id.
    func makeIdentifier() -> UInt64 {
        condition.lock()
        defer { condition.unlock() }
        nextIdentifier += 1
        return nextIdentifier
    }

    /// Queues `command` and wakes the thread if it is waiting.
    func post(_ command: InotifyCommand) {
        condition.lock()
        commands.append(command)
        condition.signal()
        condition.unlock()
    }

    /// Takes every queued command, first waiting up to `timeout` (forever if `nil`) while the
    /// queue is empty. Called only by the inotify thread.
    func take(waitingAtMost timeout: Duration?) -> [InotifyCommand] {
        condition.lock()
        defer { condition.unlock() }
        if commands.isEmpty {
            if let timeout {
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
                _ = condition.wait(until: Date(timeIntervalSinceNow: seconds))
            } else {
                while commands.isEmpty {
                    condition.wait()
                }
            }
        }
        let taken = commands
        commands.removeAll()
        return taken
    }
}
