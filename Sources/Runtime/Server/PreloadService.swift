import ConfigLang
import ServiceLifecycle

/// Loads `hooks.on_startup.preload` models once at start.
struct PreloadService: Service {
    let models: [String]
    let scheduler: ModelScheduler

    func run() async throws {
        for model in models {
            await scheduler.preload(model: model)
        }
        try? await gracefulShutdown()
    }
}
