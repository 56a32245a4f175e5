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
                    do {
                        for try await _ in watcher.cancelOnGracefulShutdown() {
                            _ = await reloader.reload(trigger: "watch")
                        }
                    } catch {
                        core.log("config watcher stopped: \(error)")
                    }
                }
            }
            await group.waitForAll()
        }
    }
}
