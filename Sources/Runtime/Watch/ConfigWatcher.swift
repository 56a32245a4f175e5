/// The changes to a server's config files and config directories, as an `AsyncSequence`.
///
/// The watcher watches the *directory* of each config file and each config directory, never a
/// file itself, so every way of saving is seen: writing in place (`echo > file`), writing a
/// temporary file and renaming it over the config (most editors, vim with `backupcopy=no`,
/// `sed -i`), deleting and re-creating, and a Kubernetes ConfigMap's `..data` symlink swap.
/// When a config path is a symbolic link, the directories along its link chain are watched
/// as well. Editor swap and backup files and unrelated files next to a config are ignored; in
/// a config directory, any non-hidden `*.yaml`/`*.yml` entry counts.
///
/// A burst of events becomes one ``ConfigChange``: after a relevant event the watcher waits
/// until `debounce` passes with no further relevant event, then yields. Whether the bytes
/// actually differ is for the reload pipeline to decide.
///
/// ```swift
/// let watcher = ConfigWatcher(files: ["/etc/swap/config.yaml"], directories: [])
/// var changes = watcher.makeAsyncIterator()
/// _ = await changes.waitUntilWatching()   // watches are in place: now load the config
/// while let change = await changes.next() {
///     await reload(change)
/// }
/// ```
///
/// Each iterator is an independent subscription with its own watches. The sequence never
/// finishes by itself; it ends when the task iterating it is cancelled, and the watches are
/// removed then (or when the iterator is dropped).
public struct ConfigWatcher: AsyncSequence, Sendable {
    /// One coalesced burst of changes.
    public typealias Element = ConfigChange
    /// The watcher never fails: a directory that cannot be watched is retried in the background.
    public typealias Failure = Never

    /// The watched config files, made absolute against the working directory at creation.
    public let files: [String]
    /// The watched config directories, made absolute against the working directory at creation.
    public let directories: [String]
    /// How long the events must stay quiet before a change is yielded.
    public let debounce: Duration

    /// Creates a watcher; nothing is watched until an iterator is made.
    ///
    /// - Parameters:
    ///   - files: Config files (`--config`); they need not exist yet.
    ///   - directories: Config directories (`--config-dir`).
    ///   - debounce: The quiet period that ends a burst; 100 ms by default.
    public init(files: [String], directories: [String] = [], debounce: Duration = .milliseconds(100)) {
        let base = WatchPath.currentDirectory()
        self.files = files.map { WatchPath.absolute($0, relativeTo: base) }
        self.directories = directories.map { WatchPath.absolute($0, relativeTo: base) }
        self.debounce = debounce
    }

    /// Starts watching and returns the iterator that yields the changes.
    ///
    /// The watches are being set up when this returns; await
    /// ``AsyncIterator/waitUntilWatching()`` before reading the config to be sure no edit
    /// slips between the read and the first watch.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(watcher: self)
    }

    /// Yields one ``ConfigChange`` per burst of relevant events.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// One coalesced burst of changes.
        public typealias Element = ConfigChange
        /// The iterator never fails.
        public typealias Failure = Never

        private let subscription: Subscription
        private let continuation: AsyncStream<Input>.Continuation
        private var inputs: AsyncStream<Input>.Iterator
        private var targets: ConfigWatchTargets
        private var coalescer: ConfigChangeCoalescer
        private var timer: Task<Void, Never>?
        private let debounce: Duration

        fileprivate init(watcher: ConfigWatcher) {
            let (stream, continuation) = AsyncStream.makeStream(of: Input.self)
            let targets = ConfigWatchTargets.resolve(files: watcher.files, directories: watcher.directories)
            let id = InotifyThread.shared.subscribe(directories: targets.directoriesToWatch) { delivery in
                continuation.yield(.delivery(delivery))
            }
            continuation.onTermination = { _ in
                InotifyThread.shared.unsubscribe(id)
            }
            self.subscription = Subscription(id: id, continuation: continuation)
            self.continuation = continuation
            self.inputs = stream.makeAsyncIterator()
            self.targets = targets
            self.coalescer = ConfigChangeCoalescer(maximumDelay: watcher.debounce * 20)
            self.debounce = watcher.debounce
        }

        /// Waits until the watches are in place; returns the directories that could not be
        /// watched (missing or unreadable), which are retried in the background and reported
        /// as a change once they appear.
        public func waitUntilWatching() async -> [String] {
            await InotifyThread.shared.unwatchedDirectories(of: subscription.id)
        }

        /// The next coalesced change, or `nil` once the iterating task is cancelled.
        public mutating func next() async -> ConfigChange? {
            while let input = await inputs.next() {
                let action: ConfigChangeCoalescer.Action
                switch input {
                case .delivery(.event(let event)):
                    if event.mask.contains(.queueOverflow) {
                        action = coalescer.record(path: nil, overflowed: true, at: .now)
                    } else if let path = targets.relevantPath(for: event) {
                        action = coalescer.record(path: path, overflowed: false, at: .now)
                    } else {
                        continue
                    }
                case .delivery(.directoryLost(let directory)), .delivery(.directoryRestored(let directory)):
                    let paths = targets.relevantPaths(forDirectory: directory)
                    guard !paths.isEmpty else { continue }
                    var last = ConfigChangeCoalescer.Action.none
                    for path in paths {
                        last = coalescer.record(path: path, overflowed: false, at: .now)
                    }
                    action = last
                case .quietPeriodElapsed(let generation):
                    action = coalescer.quietPeriodElapsed(generation: generation)
                }
                switch action {
                case .none:
                    continue
                case .armTimer(let generation):
                    armTimer(generation: generation)
                case .emit(let change):
                    timer?.cancel()
                    timer = nil
                    refreshTargets()
                    return change
                }
            }
            timer?.cancel()
            timer = nil
            return nil
        }

        private mutating func armTimer(generation: UInt64) {
            timer?.cancel()
            let continuation = self.continuation
            let debounce = self.debounce
            timer = Task {
                do {
                    try await Task.sleep(for: debounce)
                } catch {
                    return
                }
                continuation.yield(.quietPeriodElapsed(generation: generation))
            }
        }

        /// Re-reads the symlink chains (a ConfigMap swap moves them) and follows them.
        private mutating func refreshTargets() {
            let refreshed = ConfigWatchTargets.resolve(
                files: targets.files.map(\.path),
                directories: targets.configDirectories
            )
            if refreshed.directoriesToWatch != targets.directoriesToWatch {
                InotifyThread.shared.update(subscription.id, directories: refreshed.directoriesToWatch)
            }
            targets = refreshed
        }
    }
}

extension ConfigWatcher {
    /// What the iterator's stream carries: inotify deliveries and its own debounce timer.
    fileprivate enum Input: Sendable {
        case delivery(InotifyThread.Delivery)
        case quietPeriodElapsed(generation: UInt64)
    }

    /// Ends the subscription when the last copy of an iterator goes away without cancellation.
    fileprivate final class Subscription: Sendable {
        let id: UInt64
        private let continuation: AsyncStream<Input>.Continuation

        init(id: UInt64, continuation: AsyncStream<Input>.Continuation) {
            self.id = id
            self.continuation = continuation
        }

        deinit {
            continuation.finish()
            InotifyThread.shared.unsubscribe(id)
        }
    }
}
