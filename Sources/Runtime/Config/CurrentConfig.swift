import ConfigLang
import HTTPTypes
import Synchronization

/// The plan new requests are admitted under, the result of the last attempt to load the
/// config, and the active profile. The reload pipeline (``ConfigReloader``) writes
/// them; requests read them.
public final class CurrentConfig: Sendable {
    /// The plan, with the check of its `apiKeys` built once.
    private let current: Mutex<(plan: Plan, keyCheck: APIKeyCheck)>
    /// The result of the last config load attempt.
    private let statusBox: Mutex<ConfigStatus>
    /// The active profile (none at start, and cleared by a reload that drops it).
    private let profileBox = Mutex<String?>(nil)
    /// The values the plan took from `${env.…}`, hidden wherever the plan is shown.
    private let secretsBox: Mutex<Set<String>>
    /// Where the config comes from.
    public let source: ConfigSource

    /// Starts with `plan`, compiled from `source` at `loadedAt` (ISO 8601); `secrets`
    /// are the values it took from `${env.…}`.
    public init(plan: Plan, source: ConfigSource, loadedAt: String, secrets: Set<String> = []) {
        current = Mutex((plan, APIKeyCheck(keys: plan.settings.apiKeys)))
        secretsBox = Mutex(secrets)
        statusBox = Mutex(
            ConfigStatus(
                planHash: plan.sourceHash, loadedAt: loadedAt,
                lastAttempt: .init(
                    at: loadedAt, trigger: "startup", success: true, sourceHash: plan.sourceHash, diagnostics: [])))
        self.source = source
    }

    /// The plan new requests bind to.
    public var plan: Plan { current.withLock { $0.plan } }

    /// The plan a request with `headers` binds to, or nil when the plan has `apiKeys`
    /// and the request carries none of them.
    public func plan(authorizing headers: HTTPFields) -> Plan? {
        let (plan, keyCheck) = current.withLock { $0 }
        return keyCheck.allows(headers) ? plan : nil
    }

    /// The values the plan took from `${env.…}`.
    public var secrets: Set<String> { secretsBox.withLock { $0 } }

    /// The last load attempt's result.
    public var status: ConfigStatus { statusBox.withLock { $0 } }

    /// The active profile.
    public var activeProfile: String? { profileBox.withLock { $0 } }

    /// Each change of the active profile, for `/api/events`.
    public let profileChanges = ChangeFeed<String?>()

    /// Each load attempt, for `/api/events`.
    public let reloadAttempts = ChangeFeed<Void>()

    /// Sets or clears the active profile; the pins apply to requests resolved from now on.
    public func setProfile(_ name: String?) {
        profileBox.withLock { $0 = name }
        profileChanges.publish(name)
    }

    /// The values `files` take from `${env.…}`: hidden wherever the plan or the logs are
    /// shown.
    static func environmentSecrets(_ files: [SourceFile], environment: [String: String]) -> Set<String> {
        SecretHiding.environmentValues(
            referencedIn: files.map { String(decoding: $0.bytes, as: UTF8.self) }, environment: environment)
    }

    /// Records an attempt and, when it succeeded, the new plan and its `secrets`.
    func record(_ attempt: ConfigStatus.Attempt, plan newPlan: Plan?, secrets: Set<String> = []) {
        statusBox.withLock { status in
            status.lastAttempt = attempt
            status.attempts += 1
            if let newPlan {
                status.applied += 1
                status.planHash = newPlan.sourceHash
                status.loadedAt = attempt.at
            } else if attempt.success {
                status.unchanged += 1
            }
        }
        if let newPlan {
            let keyCheck = APIKeyCheck(keys: newPlan.settings.apiKeys)
            current.withLock { $0 = (newPlan, keyCheck) }
            secretsBox.withLock { $0 = secrets }
            if let active = activeProfile, newPlan.profiles[active] == nil {
                setProfile(nil)
            }
        }
        reloadAttempts.publish(())
    }
}
