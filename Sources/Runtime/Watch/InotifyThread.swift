#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one process-wide owner of libinotifytools.
///
/// libinotifytools keeps a single inotify descriptor and its watch tables in process-global
/// state and is not thread-safe, so every library call — initialisation, adding and removing
/// watches, reading events, mapping descriptors to paths — happens on one dedicated thread
/// started the first time ``shared`` is used. Callers talk to it only through
/// ``InotifyMailbox``: they post commands, and the thread hands each subscriber copies of the
/// events in its directories through a `Sendable` handler. Several subscribers may watch the
/// same directory; watches are reference-counted.
///
/// The thread lives as long as the process. With no watches it sleeps on the mailbox and
/// costs nothing; with watches it polls the library without blocking every
/// ``InotifyLoop/pollInterval`` and wakes at once when a command is posted.
final class InotifyThread: Sendable {
    /// What the thread hands to a subscriber.
    enum Delivery: Sendable, Hashable {
        /// An event in one of the subscriber's directories, or a queue overflow (delivered to
        /// every subscriber).
        case event(InotifyEvent)
        /// A watched directory was deleted or moved away; it is retried until it reappears.
        case directoryLost(String)
        /// A directory that was not watched (missing, deleted, moved) is watched again; events
        /// in between were missed.
        case directoryRestored(String)
    }

    /// Receives deliveries on the inotify thread; must return quickly and never block.
    typealias Handler = @Sendable (Delivery) -> Void

    /// The process-wide instance; touching it starts the thread.
    static let shared = InotifyThread()

    private let mailbox: InotifyMailbox

    private init() {
        let mailbox = InotifyMailbox()
        self.mailbox = mailbox
        Self.startThread {
            var loop = InotifyLoop(mailbox: mailbox)
            loop.run()
        }
    }

    /// Runs `body` on a new detached thread that lives as long as the process.
    private static func startThread(_ body: @escaping @Sendable () -> Void) {
        final class Box {
            let body: @Sendable () -> Void
            init(_ body: @escaping @Sendable () -> Void) { self.body = body }
        }
        let argument = Unmanaged.passRetained(Box(body)).toOpaque()
        #if os(Linux)
            var thread = pthread_t()
        #else
            var thread: pthread_t?
        #endif
        let created = pthread_create(
            &thread, nil,
            { argument in
                Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            }, argument)
        precondition(created == 0, "cannot start the inotify thread (pthread_create: \(created))")
        #if os(Linux)
            pthread_detach(thread)
        #else
            if let thread { pthread_detach(thread) }
        #endif
    }

    /// Starts delivering events for `directories` (absolute, normalised) to `handler`.
    ///
    /// Returns at once; the watches exist once ``unwatchedDirectories(of:)`` returns.
    func subscribe(directories: Set<String>, handler: @escaping Handler) -> UInt64 {
        let id = mailbox.makeIdentifier()
        mailbox.post(.subscribe(id: id, directories: directories, handler: handler))
        return id
    }

    /// Replaces the directories of subscription `id`.
    func update(_ id: UInt64, directories: Set<String>) {
        mailbox.post(.update(id: id, directories: directories))
    }

    /// Ends subscription `id`; calling it again is harmless.
    func unsubscribe(_ id: UInt64) {
        mailbox.post(.unsubscribe(id: id))
    }

    /// Waits until every command posted so far has been applied, then returns the directories
    /// of subscription `id` that could not be watched (they are retried in the background).
    func unwatchedDirectories(of id: UInt64) async -> [String] {
        await withCheckedContinuation { continuation in
            mailbox.post(.barrier(id: id, continuation: continuation))
        }
    }
}
