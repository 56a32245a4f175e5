import ServiceLifecycle

/// Tells systemd `STOPPING=1` as soon as a graceful shutdown begins (SIGTERM, SIGINT),
/// while requests drain and backends stop; does nothing outside systemd.
struct SystemdStoppingService: Service {
    let notifier: SystemdNotifier?

    func run() async throws {
        try? await gracefulShutdown()
        notifier?.announceStopping()
    }
}
