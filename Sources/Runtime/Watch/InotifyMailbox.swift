import NIOConcurrencyHelpers

/// The lock-protected command queue between async code and the inotify thread.
///
/// `@unchecked Sendable` is safe because `commands` and `nextIdentifier` are only read or
/// written while `lock` is held (its value is 1 while commands are queued, else 0); the
/// values that cross the lock (``InotifyCommand``) are `Sendable`.
final class InotifyMailbox: @unchecked Sendable {
    private let lock = ConditionLock(value: 0)
    private var commands: [InotifyCommand] = []
    private var nextIdentifier: UInt64 = 0

    /// A fresh subscription id.
    func makeIdentifier() -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        nextIdentifier += 1
        return nextIdentifier
    }

    /// Queues `command` and wakes the thread if it is waiting.
    func post(_ command: InotifyCommand) {
        lock.lock()
        commands.append(command)
        lock.unlock(withValue: 1)
    }

    /// Takes every queued command, first waiting up to `timeout` (forever if `nil`) while the
    /// queue is empty. Called only by the inotify thread.
    func take(waitingAtMost timeout: Duration?) -> [InotifyCommand] {
        if let timeout {
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
            guard lock.lock(whenValue: 1, timeoutSeconds: seconds) else { return [] }
        } else {
            lock.lock(whenValue: 1)
        }
        let taken = commands
        commands.removeAll()
        lock.unlock(withValue: 0)
        return taken
    }
}
