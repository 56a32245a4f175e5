import ConfigLang
import ServiceLifecycle
import UnixSignals

/// Reloads the config on SIGHUP and, with `watchConfig`, when its files change.
struct ReloadService: Service {
    let reloader: ConfigReloader
    let watchConfig: Bool

    func run() async throws {
        let reloader = self.reloader
        let log = reloader.log
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
                    _ = await reloader.reload(trigger: "sighup")
                }
            }
            if watchConfig {
                let source = reloader.config.source
                group.addTask {
                    let watcher = ConfigWatcher(
                        files: [source.file], directories: source.directory.map { [$0] } ?? [])
                    var changes = watcher.makeAsyncIterator()
                    let missing = await changes.waitUntilWatching()
                    if !missing.isEmpty { log("cannot watch \(missing) yet; will retry") }
                    // An edit made between the first load and the watch starting is caught here:
                    // identical bytes make this a no-op.
                    _ = await reloader.reload(trigger: "watch")
                    while let change = await changes.next() {
                        if Task.isCancelled { break }
                        log(
                            "config change seen: \(change.paths)\(change.overflowed ? " (event queue overflowed)" : "")"
                        )
                        _ = await reloader.reload(trigger: "watch")
                    }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }
}
