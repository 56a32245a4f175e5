import Synchronization

/// Cancels the task that created it, from anywhere, until it is disarmed.
///
/// A task cannot otherwise be cancelled from outside without a `Task` handle, and the
/// handler of a request has none for itself. ``disarm()`` must be called before the
/// task ends: after it returns, ``cancel()`` does nothing, so the task is never touched
/// after its end (the lock makes a `cancel()` that runs concurrently finish first).
///
/// ```swift
/// let canceller = TaskCanceller()
/// defer { canceller.disarm() }
/// register { canceller.cancel() }   // e.g. when the client's connection closes
/// try await work()
/// ```
final class TaskCanceller: @unchecked Sendable {
    // `@unchecked` because `UnsafeCurrentTask` is not `Sendable`; it is only used under
    // `armed`'s lock, and only while the task runs.
    private let task: UnsafeCurrentTask?
    private let armed = Mutex(true)

    /// A canceller for the calling task (one that does nothing outside a task).
    init() {
        task = withUnsafeCurrentTask { $0 }
    }

    /// Cancels the task, unless ``disarm()`` was called.
    func cancel() {
        armed.withLock { armed in
            if armed { task?.cancel() }
        }
    }

    /// Stops ``cancel()`` from touching the task; call it before the task ends.
    func disarm() {
        armed.withLock { $0 = false }
    }
}
