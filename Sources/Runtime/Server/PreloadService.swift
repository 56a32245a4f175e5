import ServiceLifecycle

/// Loads `hooks.on_startup.preload` models once at start.
struct PreloadService: Service {
    let core: SwapCore

    func run() async throws {
        for model in core.plan.preload {
            await core.scheduler.preload(model: model)
        }
        try? await gracefulShutdown()
    }
}
