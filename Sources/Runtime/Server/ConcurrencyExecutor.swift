import NIOCore
import NIOPosix

/// Where swap-server runs Swift concurrency's tasks.
public enum ConcurrencyExecutor {
    /// Makes NIO's singleton event loops (the ones the HTTP server and the HTTP client
    /// already use) Swift concurrency's global executor.
    ///
    /// A proxied request then runs on the event loop whose I/O woke it, instead of being
    /// handed back and forth between the event loops and the default thread pool (a
    /// thread wake-up at every step: reading the request, the upstream response head,
    /// each body chunk, each write). Code on this executor must not block a thread; swap
    /// keeps its blocking work (inotify, process waits) on threads of its own.
    ///
    /// Call it once, from the main thread, before any task is started (first thing in
    /// `main`). Returns whether it took effect; when it did not, tasks run on the
    /// default pool as before.
    @discardableResult
    public static func useEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
