import Logging

/// swap-server's own log: each line goes to the process's logger and to the
/// ``LogHub``'s proxy source (`/logs`, the UI).
public struct ServerLog: Sendable {
    /// The process's logger.
    public let logger: Logger
    /// The hub the line is also kept in.
    public let hub: LogHub

    /// Creates the log.
    public init(logger: Logger, hub: LogHub) {
        self.logger = logger
        self.hub = hub
    }

    /// Writes `message`.
    public func callAsFunction(_ message: String) {
        logger.info("\(message)")
        let hub = self.hub
        Task { await hub.append(message, source: LogHub.proxySource) }
    }
}
