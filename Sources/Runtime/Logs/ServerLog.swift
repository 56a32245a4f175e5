import FoundationEssentials
import Logging

/// swap-server's own log: each line goes to standard output (as `logToStdout` and
/// `logTimeFormat` say) or, without such settings, to the process's logger; and to the
/// ``LogHub``'s proxy source (`/logs`, the UI).
public struct ServerLog: Sendable {
    /// The process's logger.
    public let logger: Logger
    /// The hub the line is also kept in.
    public let hub: LogHub
    /// What reaches standard output; nil writes through ``logger`` instead.
    public let stdout: (@Sendable () -> StdoutLogSettings)?

    /// Creates the log.
    public init(logger: Logger, hub: LogHub, stdout: (@Sendable () -> StdoutLogSettings)? = nil) {
        self.logger = logger
        self.hub = hub
        self.stdout = stdout
    }

    /// Writes `message`.
    public func callAsFunction(_ message: String) {
        if let stdout {
            let line = LogLine(timestamp: Date(), source: LogHub.proxySource, text: message, sequence: 0)
            if let text = stdout().rendered(line) { StdoutLog.write(text + "\n") }
        } else {
            logger.info("\(message)")
        }
        let hub = self.hub
        Task { await hub.append(message, source: LogHub.proxySource) }
    }
}
