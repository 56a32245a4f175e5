import ServiceLifecycle

/// Ends the `/api/events` streams when graceful shutdown begins: they never end on
/// their own, and the HTTP server waits for open responses before it stops.
struct EventStreamService: Service {
    /// The hub whose clients are closed.
    let hub: EventHub

    func run() async throws {
        try? await gracefulShutdown()
        hub.close()
    }
}
