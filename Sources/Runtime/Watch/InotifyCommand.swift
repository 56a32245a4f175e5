/// A request posted to the inotify thread; applied there, in posting order, between polls.
enum InotifyCommand: Sendable {
    /// Start delivering events for `directories` to `handler`, adding watches as needed.
    case subscribe(id: UInt64, directories: Set<String>, handler: InotifyThread.Handler)
    /// Replace the directories of a subscription, adding and releasing watches as needed.
    case update(id: UInt64, directories: Set<String>)
    /// Stop delivering to the subscription and release its watches; unknown ids are ignored.
    case unsubscribe(id: UInt64)
    /// Resume with the subscription's directories that are not watched right now, once every
    /// earlier command has been applied.
    case barrier(id: UInt64, continuation: CheckedContinuation<[String], Never>)
}
