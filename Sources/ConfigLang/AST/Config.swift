/// The typed form of a config file, before expansion: every value still as written
/// (macros unexpanded), each with its span.
///
/// Built by ``ConfigDecoder`` from a tree that ``SchemaValidator`` has checked;
/// values with the wrong type were reported there and are absent here.
public struct Config: Sendable {
    /// Global macros, in source order.
    public var macros: [MacroDefinition] = []
    /// Models in source order.
    public var models: [ModelConfig] = []
    /// Groups, from either the legacy `groups:` key or `routing.router.settings.groups`.
    public var groups: [GroupConfig] = []
    /// Top-level parameter locks (swap extension): apply to every local model.
    public var filters: FiltersConfig?
    /// `hooks.on_startup.preload`.
    public var preload: [Located<String>] = []
    /// `routing.scheduler.settings.fifo.priority` keys and values.
    public var priorities: [(key: Located<String>, value: Int)] = []
    /// Profiles.
    public var profiles: [ProfileConfig] = []
    /// Selectors.
    public var selectors: [SelectorConfig] = []
    /// Peers.
    public var peers: [PeerConfig] = []
    /// The matrix, from either the legacy `matrix:` key or `routing.router.settings.matrix`.
    public var matrix: MatrixConfig?
    /// `routing.router.use`, if written.
    public var routerUse: Located<String>?
    /// Where the legacy `groups:` / `matrix:` keys were written, if they were.
    public var legacyRouting: [Span] = []
    /// Where `routing.router` was written, if it was.
    public var routerSpan: Span?
    /// `startPort` (default 5800).
    public var startPort: Int = 5800
    /// `healthCheckTimeout` in seconds (default 120), as written.
    public var healthCheckTimeout: Located<Int>?
    /// `globalTTL` (default 0 = never).
    public var globalTTL: Int = 0
    /// `drainTimeout` (swap extension, default 60 s).
    public var drainTimeout: Int = 60
    /// `unloadTimeout` (default 10 s).
    public var unloadTimeout: Int = 10
    /// `sendLoadingState` (default false).
    public var sendLoadingState: Bool = false
    /// `upstream.ignorePaths`: patterns of passthrough paths that never load a model.
    public var upstreamIgnorePaths: [Located<String>]? = nil
    /// `includeAliasesInList`.
    public var includeAliasesInList: Bool = false
    /// `apiKeys`.
    public var apiKeys: [Located<String>] = []
    /// `logLevel`.
    public var logLevel: String = "info"
    /// `logToStdout`.
    public var logToStdout: String = "proxy"
    /// `logTimeFormat` (nil when absent).
    public var logTimeFormat: String?
    /// `performance.every`, seconds (nil when absent).
    public var performanceEvery: Double?
    /// `performance.disabled` (nil when absent).
    public var performanceDisabled: Bool?
    /// `store.path`: the SQLite file of the activity history, when set.
    public var storePath: String?
    /// `metricsMaxInMemory`, when set.
    public var metricsMaxInMemory: Int?
    /// `captureBuffer` in megabytes, when set.
    public var captureBuffer: Int?
    /// `ui.activity.session_id`, when set.
    public var sessionIDHeaders: [String]?
    /// The root node, for stages that need a raw look.
    public var root: YAMLNode

    /// Creates an empty config over a root node.
    public init(root: YAMLNode) {
        self.root = root
    }
}

/// A `name: value` macro at any level.
public struct MacroDefinition: Sendable {
    /// The name, at the key's span.
    public var name: Located<String>
    /// The value node (a scalar unless an error was reported).
    public var value: YAMLNode
}

/// One entry of `models:`.
public struct ModelConfig: Sendable {
    /// The model ID (the key).
    public var id: Located<String>
    /// The model's mapping node.
    public var node: YAMLNode
    /// Model-level macros.
    public var macros: [MacroDefinition] = []
    /// `cmd` as written.
    public var cmd: Located<String>?
    /// `cmdStop` as written.
    public var cmdStop: Located<String>?
    /// `proxy` as written.
    public var proxy: Located<String>?
    /// `aliases`.
    public var aliases: [Located<String>] = []
    /// `filters`.
    public var filters: FiltersConfig?
    /// `checkEndpoint`.
    public var checkEndpoint: Located<String>?
    /// `ttl`.
    public var ttl: Located<Int>?
    /// `unlisted`.
    public var unlisted: Bool = false
}

/// One group.
public struct GroupConfig: Sendable {
    /// The group's name.
    public var name: Located<String>
    /// `swap` (default true).
    public var swap: Bool = true
    /// `exclusive` (default true).
    public var exclusive: Bool = true
    /// `persistent` (default false).
    public var persistent: Bool = false
    /// Member model IDs.
    public var members: [Located<String>] = []
    /// Group-level macros (swap extension).
    public var macros: [MacroDefinition] = []
    /// Group-level locks (swap extension).
    public var filters: FiltersConfig?
}

/// A `filters:` block at any level.
public struct FiltersConfig: Sendable {
    /// Where the block is.
    public var span: Span
    /// `stripParams`, split into names.
    public var stripParams: [Located<String>] = []
    /// `setParams`.
    public var setParams: [(key: Located<String>, value: YAMLNode)] = []
    /// `defaultParams`.
    public var defaultParams: [(key: Located<String>, value: YAMLNode)] = []
    /// `clampParams`.
    public var clampParams: [(key: Located<String>, value: YAMLNode)] = []
    /// `final`.
    public var final: [Located<String>] = []
    /// `setParamsByID` entries: requested ID (unexpanded) → parameters.
    public var setParamsByID: [(key: Located<String>, value: YAMLNode)] = []
}

/// One profile.
public struct ProfileConfig: Sendable {
    /// The profile's name.
    public var name: Located<String>
    /// `description`.
    public var description: String?
    /// Pins: requested ID → target (nil disables the ID).
    public var pins: [(key: Located<String>, target: Located<String>?)] = []
}

/// One selector.
public struct SelectorConfig: Sendable {
    /// The selector's ID.
    public var id: Located<String>
    /// `strategy`.
    public var strategy: Located<String>?
    /// `targets`.
    public var targets: [Located<String>] = []
}

/// One peer.
public struct PeerConfig: Sendable {
    /// The peer's ID.
    public var id: Located<String>
    /// `proxy`.
    public var proxy: Located<String>?
    /// `models`.
    public var models: [Located<String>] = []
    /// `apiKey`.
    public var apiKey: Located<String>?
    /// `filters`: locks for requests sent to the peer.
    public var filters: FiltersConfig?
    /// `timeouts`.
    public var timeouts: ConnectionTimeouts = .defaults
}

/// The matrix router's settings.
public struct MatrixConfig: Sendable {
    /// Where `matrix:` is.
    public var span: Span
    /// `vars`: short name → model ID.
    public var vars: [(key: Located<String>, value: Located<String>)] = []
    /// `sets`: name → expression.
    public var sets: [(key: Located<String>, value: Located<String>)] = []
    /// `evict_costs`: name → cost.
    public var evictCosts: [(key: Located<String>, value: Located<Int>)] = []
}
