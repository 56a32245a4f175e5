import CInotifyTools

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The inotify thread's state and every libinotifytools call.
///
/// Created inside the thread's body and never shared, so it is deliberately not `Sendable`:
/// the compiler keeps it on that one thread.
///
/// Two library quirks shape it. `inotifytools_next_event(0)` blocks forever (the library
/// turns 0 into -1) and its smallest real timeout is one second, too slow to pick up commands,
/// so the loop calls `inotifytools_next_events(0, 1)` — non-blocking, one event — and sleeps
/// on the mailbox between polls. And the library never forgets a watch the kernel dropped
/// (`IN_IGNORED`) nor returns the descriptor it just added, so descriptors are looked up by
/// the name the watch was registered under, and a directory watched again is registered
/// under a fresh, equivalent spelling (`dir/.`, `dir/./.`) no stale record can shadow.
struct InotifyLoop {
    /// How often events are polled while any watch exists.
    static let pollInterval: Duration = .milliseconds(20)
    /// How often directories that cannot be watched are tried again.
    static let retryInterval: Duration = .milliseconds(500)
    /// The most events read in one round before commands are looked at again.
    static let eventsPerRound = 1024

    private struct Watch {
        var references: Int
        /// `nil` while the directory is not watched (missing, deleted, moved away).
        var descriptor: Int32?
    }

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64

        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private struct Subscriber {
        var directories: Set<String>
        let handler: InotifyThread.Handler
    }

    private let mailbox: InotifyMailbox
    private var initialized = false
    private var subscribers: [UInt64: Subscriber] = [:]
    private var watches: [String: Watch] = [:]
    /// The directories watched through each descriptor (several when paths alias one inode).
    private var directoriesByDescriptor: [Int32: [String]] = [:]
    /// The library record names per descriptor; the first is the one the library maps the
    /// descriptor to, and the one it deletes on removal.
    private var recordsByDescriptor: [Int32: [String]] = [:]
    /// The inode each descriptor watches, to tell a live watch from one the kernel is dropping.
    private var inodesByDescriptor: [Int32: FileIdentity] = [:]
    /// Every record name the library holds, live or stale.
    private var records: Set<String> = []
    private var lastRetry = ContinuousClock.now

    init(mailbox: InotifyMailbox) {
        self.mailbox = mailbox
    }

    /// Serves commands and events until the process exits.
    mutating func run() -> Never {
        while true {
            let timeout: Duration?
            if watches.values.contains(where: { $0.descriptor != nil }) {
                timeout = Self.pollInterval
            } else if !watches.isEmpty {
                timeout = Self.retryInterval
            } else {
                timeout = nil
            }
            for command in mailbox.take(waitingAtMost: timeout) {
                apply(command)
            }
            readEvents()
            retryUnwatched()
        }
    }

    // MARK: Commands

    private mutating func apply(_ command: InotifyCommand) {
        if case .unsubscribe = command {
            // A queued IN_IGNORED (directory already deleted) must be seen before removing the
            // watch, or the library would try to remove a watch the kernel no longer has.
            readEvents()
        } else if case .update = command {
            readEvents()
        }
        switch command {
        case .subscribe(let id, let directories, let handler):
            subscribers[id] = Subscriber(directories: directories, handler: handler)
            for directory in directories {
                retain(directory)
            }
        case .update(let id, let directories):
            guard var subscriber = subscribers[id] else { return }
            let added = directories.subtracting(subscriber.directories)
            let removed = subscriber.directories.subtracting(directories)
            subscriber.directories = directories
            subscribers[id] = subscriber
            for directory in added {
                retain(directory)
            }
            for directory in removed {
                release(directory)
            }
        case .unsubscribe(let id):
            guard let subscriber = subscribers.removeValue(forKey: id) else { return }
            for directory in subscriber.directories {
                release(directory)
            }
        case .barrier(let id, let continuation):
            let directories = subscribers[id]?.directories ?? []
            continuation.resume(returning: directories.filter { watches[$0]?.descriptor == nil }.sorted())
        }
    }

    private mutating func retain(_ directory: String) {
        if watches[directory] != nil {
            watches[directory]!.references += 1
            return
        }
        watches[directory] = Watch(references: 1, descriptor: nil)
        _ = addWatch(directory)
    }

    private mutating func release(_ directory: String) {
        guard var watch = watches[directory] else { return }
        watch.references -= 1
        guard watch.references == 0 else {
            watches[directory] = watch
            return
        }
        watches[directory] = nil
        guard let descriptor = watch.descriptor else { return }
        var aliases = directoriesByDescriptor[descriptor] ?? []
        aliases.removeAll { $0 == directory }
        if aliases.isEmpty {
            directoriesByDescriptor[descriptor] = nil
            removeFromLibrary(descriptor, directory: directory)
        } else {
            directoriesByDescriptor[descriptor] = aliases
        }
    }

    // MARK: Library calls

    private mutating func addWatch(_ directory: String) -> Bool {
        if !initialized {
            initialized = inotifytools_initialize() == 1
        }
        guard initialized else { return false }
        var spelling = directory
        while records.contains(spelling) || records.contains(spelling + "/") {
            spelling += "/."
        }
        let mask = Int32(bitPattern: InotifyEventMask.directoryWatch.rawValue)
        guard inotifytools_watch_file(spelling, mask) == 1 else { return false }
        // The library appends "/" to the names of directories it watches (not to symlinks).
        let candidates: [String] = [spelling + "/", spelling]
        guard let record = candidates.first(where: { inotifytools_wd_from_filename($0) > 0 }) else { return false }
        let descriptor = inotifytools_wd_from_filename(record)
        if inodesByDescriptor[descriptor] == nil {
            inodesByDescriptor[descriptor] = FileIdentity(path: directory)
        }
        records.insert(record)
        recordsByDescriptor[descriptor, default: []].append(record)
        directoriesByDescriptor[descriptor, default: []].append(directory)
        watches[directory]?.descriptor = descriptor
        return true
    }

    /// Removes a watch the kernel still has, if it still has it.
    ///
    /// A directory deleted a moment ago may have its `IN_IGNORED` still on the way; removing
    /// that watch would fail (and make the library print to stderr), so when `directory` is
    /// given and no longer names the watched inode, the watch is left for the kernel to drop
    /// and its record left stale. Without `directory` (moved away) it is always removed.
    private mutating func removeFromLibrary(_ descriptor: Int32, directory: String?) {
        let names = recordsByDescriptor.removeValue(forKey: descriptor) ?? []
        let identity = inodesByDescriptor.removeValue(forKey: descriptor)
        if let directory {
            guard let identity, FileIdentity(path: directory) == identity else { return }
        }
        // Only the first record leaves the library; aliases' records stay behind as stale.
        if inotifytools_remove_watch_by_wd(descriptor) == 1, let first = names.first {
            records.remove(first)
        }
    }

    /// Forgets a watch the kernel has dropped or is dropping by itself.
    private mutating func forget(_ descriptor: Int32) {
        recordsByDescriptor[descriptor] = nil
        inodesByDescriptor[descriptor] = nil
    }

    private mutating func readEvents() {
        guard initialized, !watches.isEmpty || !subscribers.isEmpty else { return }
        for _ in 0..<Self.eventsPerRound {
            guard let raw = inotifytools_next_events(0, 1) else { return }
            dispatch(Self.copy(raw))
        }
    }

    /// Copies every field before the library's buffer can be reused.
    private static func copy(_ raw: UnsafeMutablePointer<inotify_event>) -> InotifyEvent {
        let descriptor = raw.pointee.wd
        let length = Int(raw.pointee.len)
        var name = ""
        if length > 0 {
            // `name` is a flexible array member right after the four 32-bit fields.
            let offset = MemoryLayout<Int32>.size + 3 * MemoryLayout<UInt32>.size
            let bytes = UnsafeRawPointer(raw).advanced(by: offset).assumingMemoryBound(to: CChar.self)
            let count = strnlen(bytes, length)
            name = String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
        var directory = ""
        if descriptor >= 0, let watched = inotifytools_filename_from_wd(descriptor), watched.pointee != 0 {
            directory = WatchPath.normalize(String(cString: watched))
        }
        return InotifyEvent(
            watchDescriptor: descriptor,
            mask: InotifyEventMask(rawValue: raw.pointee.mask),
            cookie: raw.pointee.cookie,
            name: name,
            directory: directory
        )
    }

    // MARK: Delivery

    private mutating func dispatch(_ event: InotifyEvent) {
        if event.mask.contains(.queueOverflow) {
            for subscriber in subscribers.values {
                subscriber.handler(.event(event))
            }
            return
        }
        guard let directories = directoriesByDescriptor[event.watchDescriptor] else { return }
        if !event.mask.isDisjoint(with: [.ignored, .deleteSelf, .moveSelf]) {
            // Deleted, unmounted or renamed: the name no longer means this inode.
            directoriesByDescriptor[event.watchDescriptor] = nil
            if event.mask.contains(.moveSelf) {
                removeFromLibrary(event.watchDescriptor, directory: nil)
            } else {
                forget(event.watchDescriptor)  // the kernel drops it by itself
            }
            for directory in directories {
                watches[directory]?.descriptor = nil
                deliver(.directoryLost(directory), in: directory)
            }
            return
        }
        for directory in directories {
            var copy = event
            copy.directory = directory
            deliver(.event(copy), in: directory)
        }
    }

    private func deliver(_ delivery: InotifyThread.Delivery, in directory: String) {
        for subscriber in subscribers.values where subscriber.directories.contains(directory) {
            subscriber.handler(delivery)
        }
    }

    private mutating func retryUnwatched() {
        let now = ContinuousClock.now
        guard now - lastRetry >= Self.retryInterval else { return }
        lastRetry = now
        for (directory, watch) in watches where watch.descriptor == nil {
            if addWatch(directory) {
                deliver(.directoryRestored(directory), in: directory)
            }
        }
    }
}
