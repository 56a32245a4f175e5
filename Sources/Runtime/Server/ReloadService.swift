import ConfigLang
import ServiceLifecycle
import UnixSignals

/// Reloads the config on SIGHUP and, with `watchConfig`, when its files change.
struct ReloadService: Service {
    let core: SwapCore
    let watchConfig: Bool

    func run() async throws {
        let reloader = ConfigReloader(core: core)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
                    _ = await reloader.reload(trigger: "sighup")
                }
            }
            if watchConfig {
                let source = core.source
                group.addTask {
                    let watcher = ConfigWatcher(
                        files: [source.file], directories: source.directory.map { [$0] } ?? [])
                    var changes = watcher.makeAsyncIterator()
                    let missing = await changes.waitUntilWatching()
                    if !missing.isEmpty { core.log("cannot watch \(missing) yet; will retry") }
                    // An edit made between the first load and the watch starting is caught here:
                    // identical bytes make this a no-op.
                    _ = await reloader.reload(trigger: "watch")
                    while let change = await changes.next() {
                        if Task.isCancelled { break }
                        core.log(
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
