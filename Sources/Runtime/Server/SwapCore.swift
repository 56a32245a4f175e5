import AsyncHTTPClient
import ConfigLang
import Foundation
import Logging
import Synchronization

/// Everything a request needs, shared by the HTTP responder and the reload pipeline:
/// the current plan, the backends, the scheduler, the logs and the HTTP client.
public final class SwapCore: Sendable {
    /// The plan new requests are admitted under, with its API key check built once.
    private let current: Mutex<(plan: Plan, keyCheck: APIKeyCheck)>
    /// The result of the last config load attempt.
    private let statusBox: Mutex<ConfigStatus>
    /// The active profile (none at start and after a reload).
    private let profileBox = Mutex<String?>(nil)
    /// Where the config comes from.
    public let source: ConfigSource
    /// Backends.
    public let pool: BackendPool
    /// Admission and swapping.
    public let scheduler: ModelScheduler
    /// Log buffers and streams.
    public let logs: LogHub
    /// Forwarding to backends and peers.
    public let forwarder: ProxyForwarder
    /// The proxy's own logger.
    public let logger: Logger
    /// Largest buffered JSON body accepted (413 above).
    public let maxBodyBytes: Int
    /// Finished requests per model and status, for `/metrics`.
    public let requests = RequestCounters()

    /// Creates the core over a compiled plan. `client` serves health checks and the
    /// requests `upstream` cannot carry (https peers; all requests without `upstream`).
    public init(
        plan: Plan, source: ConfigSource, client: HTTPClient, upstream: UpstreamConnectionPool? = nil,
        launcher: String?, logger: Logger, maxBodyBytes: Int = 32 << 20
    ) {
        let now = ISO8601DateFormatter().string(from: Date())
        current = Mutex((plan, APIKeyCheck(keys: plan.settings.apiKeys)))
        statusBox = Mutex(
            ConfigStatus(
                planHash: plan.sourceHash, loadedAt: now,
                lastAttempt: .init(
                    at: now, trigger: "startup", success: true, sourceHash: plan.sourceHash, diagnostics: [])))
        self.source = source
        logs = LogHub()
        pool = BackendPool(plan: plan, logs: logs, client: client, launcher: launcher)
        scheduler = ModelScheduler(plan: plan, backends: pool)
        forwarder = ProxyForwarder(client: client, upstream: upstream)
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
    }

    /// The plan new requests bind to.
    public var plan: Plan { current.withLock { $0.plan } }

    /// The plan new requests bind to and the check of its `apiKeys`, read together.
    public var planAndKeyCheck: (plan: Plan, keyCheck: APIKeyCheck) { current.withLock { $0 } }

    /// The last load attempt's result.
    public var status: ConfigStatus { statusBox.withLock { $0 } }

    /// The active profile.
    public var activeProfile: String? {
        get { profileBox.withLock { $0 } }
    }

    /// Sets or clears the active profile.
    public func setProfile(_ name: String?) { profileBox.withLock { $0 = name } }

    /// Records an attempt and, when it succeeded, the new plan.
    func record(_ attempt: ConfigStatus.Attempt, plan newPlan: Plan?) {
        statusBox.withLock { status in
            status.lastAttempt = attempt
            status.attempts += 1
            if let newPlan {
                status.applied += 1
                status.planHash = newPlan.sourceHash
                status.loadedAt = attempt.at
            }
        }
        if let newPlan {
            let keyCheck = APIKeyCheck(keys: newPlan.settings.apiKeys)
            current.withLock { $0 = (newPlan, keyCheck) }
        }
    }

    /// Writes a line to the proxy log (and stdout when configured).
    public func log(_ message: String) {
        logger.info("\(message)")
        let logs = self.logs
        Task { await logs.append(message, source: "proxy") }
    }
}
