/// The compiled, immutable result of a config: everything the server needs, fully
/// expanded, with no YAML left in it.
///
/// A plan is a value: two plans compare equal exactly when they would serve the same
/// way. It encodes to deterministic JSON (sorted keys), which `swap-lint plan` and
/// `GET /api/config/plan` print. ``Plan/diff(from:to:)`` tells a reload which models
/// to restart, which to update live and which to leave alone.
public struct Plan: Sendable, Equatable, Codable {
    /// A hash of the source bytes the plan was compiled from (hex FNV-1a 64).
    public var sourceHash: String
    /// Settings that apply to the whole server.
    public var settings: PlanSettings
    /// Every local model, by ID.
    public var models: [String: ModelPlan]
    /// How models share the machine.
    public var routing: RoutingPlan
    /// Every name a request can use for a local model (ID, alias, `setParamsByID` key)
    /// → the model's ID.
    public var names: [String: String]
    /// Remote peers, by ID.
    public var peers: [String: PeerPlan]
    /// Virtual model IDs resolved per request.
    public var selectors: [String: SelectorPlan]
    /// Named sets of ID rewrites.
    public var profiles: [String: ProfilePlan]
    /// Models to load at start.
    public var preload: [String]

    /// Creates a plan.
    public init(
        sourceHash: String, settings: PlanSettings, models: [String: ModelPlan], routing: RoutingPlan,
        names: [String: String], peers: [String: PeerPlan], selectors: [String: SelectorPlan],
        profiles: [String: ProfilePlan], preload: [String]
    ) {
        self.sourceHash = sourceHash
        self.settings = settings
        self.models = models
        self.routing = routing
        self.names = names
        self.peers = peers
        self.selectors = selectors
        self.profiles = profiles
        self.preload = preload
    }

    /// The model a requested name resolves to (ID, alias or `setParamsByID` key).
    public func model(named name: String) -> ModelPlan? {
        names[name].flatMap { models[$0] }
    }
}

/// Server-wide settings.
public struct PlanSettings: Sendable, Equatable, Codable {
    /// Seconds a model has to become ready (at least 15).
    public var healthCheckTimeout: Int
    /// Default idle TTL in seconds (0 = never unload).
    public var globalTTL: Int
    /// Default seconds a backend gets to stop before it is killed.
    public var unloadTimeout: Int
    /// First port handed out for `${PORT}`.
    public var startPort: Int
    /// Show aliases as models in `/v1/models`.
    public var includeAliasesInList: Bool
    /// API keys clients must present (empty = open).
    public var apiKeys: [String]
    /// Proxy log level.
    public var logLevel: String
    /// Which logs go to stdout.
    public var logToStdout: String
    /// Seconds a reload waits for a changed model's in-flight requests before stopping it.
    public var drainTimeout: Int
    /// Patterns of `/upstream/<model>/…` paths answered 409 instead of loading a model
    /// (`upstream.ignorePaths`); nil when there are none.
    public var upstreamIgnorePaths: [String]? = nil
    /// `logTimeFormat`: the Go layout name of the log lines' timestamps ("" = none);
    /// nil when not given (swap then writes no timestamp).
    public var logTimeFormat: String? = nil
    /// `performance.every`: seconds between two system statistics samples (nil: 5).
    public var performanceEvery: Double? = nil
    /// `performance.disabled`: true turns system statistics off (nil: on).
    public var performanceDisabled: Bool? = nil
    /// `store.path`: the SQLite file that keeps the activity history across restarts;
    /// nil keeps it in memory only.
    public var storePath: String? = nil
    /// `metricsMaxInMemory`: activity records kept in memory; nil for the default (1000).
    public var metricsMaxInMemory: Int? = nil
    /// `captureBuffer`: megabytes of request and response captures; nil for the default (0, off).
    public var captureBuffer: Int? = nil
    /// `ui.activity.session_id`: headers that name a request's session, tried in order;
    /// nil for the default (`X-Session-ID`, `X-Litellm-Session-Id`).
    public var sessionIDHeaders: [String]? = nil
}

/// A `${PORT}` slot: the runtime keeps a surviving model's port across reloads; the
/// offline number is what llama-swap would assign.
public struct PortSlot: Sendable, Equatable, Codable {
    /// The port llama-swap would assign (sorted model IDs from `startPort`).
    public var offline: Int

    /// The highest TCP port.
    public static let maximum = 65535
}

/// One local model, fully expanded.
public struct ModelPlan: Sendable, Equatable, Codable {
    /// The model ID.
    public var id: String
    /// The command's words with `${PORT}` left in place (see ``argv(port:)``).
    public var argvTemplate: [String]
    /// `cmdStop`'s words, `${PID}` and `${PORT}` left in place; nil = SIGTERM.
    public var stopTemplate: [String]?
    /// Environment entries `NAME=value` added to the inherited environment.
    public var env: [String]
    /// Proxy URL with `${PORT}` left in place.
    public var proxyTemplate: String
    /// The `${PORT}` slot, when `cmd` uses it.
    public var port: PortSlot?
    /// Health path polled until 200; nil = ready once spawned (`none`).
    public var checkEndpoint: String?
    /// Idle seconds before unload (0 = never), global default applied.
    public var ttl: Int
    /// Seconds to stop gracefully before SIGKILL.
    public var unloadTimeout: Int
    /// Maximum requests in flight (default 10).
    public var concurrencyLimit: Int
    /// Other names for this model.
    public var aliases: [String]
    /// Name sent upstream instead of the ID, if set.
    public var useModelName: String?
    /// Display name.
    public var name: String?
    /// Description.
    public var description: String?
    /// Hidden from `/v1/models`.
    public var unlisted: Bool
    /// Free-form metadata, macros expanded.
    public var metadata: JSONValue?
    /// Effective parameter locks for requests naming the model by ID or alias.
    public var locks: ParameterLocks
    /// Effective locks for requests naming a `setParamsByID` key.
    public var locksByRequestedID: [String: ParameterLocks]
    /// Where each effective lock was declared, by parameter name.
    public var lockProvenance: [String: [LockOrigin]]
    /// The group the model belongs to.
    public var group: String
    /// Hash of the fields whose change needs a restart.
    public var processFingerprint: String
    /// Hash of the fields that can change without a restart.
    public var liveFingerprint: String
    /// Limits on the proxy's connection to the backend (`timeouts`).
    public var timeouts: ConnectionTimeouts = .defaults
    /// True when a streaming chat request that starts the model gets loading progress
    /// first (`sendLoadingState`, the model's or else the global one); nil when off.
    public var sendLoadingState: Bool? = nil
    /// What the model can do (`capabilities`), for `/v1/models`; nil when not declared.
    public var capabilities: ModelCapabilities? = nil

    /// The argv to exec when the model got `port`.
    public func argv(port: Int?) -> [String] {
        guard let port else { return argvTemplate }
        return argvTemplate.map { $0.replacingOccurrences(of: "${PORT}", with: String(port)) }
    }

    /// The proxy URL when the model got `port`.
    public func proxy(port: Int?) -> String {
        guard let port else { return proxyTemplate }
        return proxyTemplate.replacingOccurrences(of: "${PORT}", with: String(port))
    }
}

/// Where one lock came from.
public struct LockOrigin: Sendable, Equatable, Codable {
    /// `strip`, `default`, `set`, `clamp` or `final`.
    public var kind: String
    /// `global`, `group NAME`, `model`, or `setParamsByID KEY`.
    public var level: String
    /// The declaration.
    public var span: Span
}

/// How models share the machine.
public struct RoutingPlan: Sendable, Equatable, Codable {
    /// `group` or `matrix`.
    public var engine: String
    /// Groups (always present: ungrouped models form the default group).
    public var groups: [GroupPlan]
    /// Concrete sets of models allowed to run together (matrix engine).
    public var matrixSets: [[String]]
    /// Eviction cost per model (matrix engine; default 1).
    public var evictCosts: [String: Int]
    /// Queue priority per model ID (aliases resolved).
    public var priorities: [String: Int]
}

/// One group.
public struct GroupPlan: Sendable, Equatable, Codable {
    /// The group's name (`(default)` for ungrouped models).
    public var name: String
    /// Only one member runs at a time.
    public var swap: Bool
    /// Loading a member unloads other groups (except persistent ones).
    public var exclusive: Bool
    /// Other groups never unload this one.
    public var persistent: Bool
    /// Member model IDs.
    public var members: [String]
}

/// A remote peer.
public struct PeerPlan: Sendable, Equatable, Codable {
    /// Base URL.
    public var proxy: String
    /// Models it serves.
    public var models: [String]
    /// Key sent as `Authorization: Bearer` and `x-api-key`, if any.
    public var apiKey: String?
    /// Parameter locks for requests to the peer (its `filters`).
    public var locks: ParameterLocks = ParameterLocks()
    /// Limits on the proxy's connection to the peer (`timeouts`).
    public var timeouts: ConnectionTimeouts = .defaults
}

/// A selector.
public struct SelectorPlan: Sendable, Equatable, Codable {
    /// `warm`, `pin` or `spillover`.
    public var strategy: String
    /// Targets in order.
    public var targets: [String]
}

/// A profile.
public struct ProfilePlan: Sendable, Equatable, Codable {
    /// Requested ID → target (nil disables the ID).
    public var pins: [String: String?]
    /// What the profile is for (`GET /api/profiles`).
    public var description: String? = nil
}
