/// The config format: llama-swap's keys plus swap's extensions, as ``SchemaType`` values.
///
/// This is the single description of the format. The validator, `swap-lint schema`
/// and the checked-in `schemas/config.schema.json` all come from it.
///
/// Keys marked `isExtension` are swap's own; keys with status `.noEffectYet` are read
/// for llama-swap compatibility but not acted on yet, and keys with `.fixedInSwap` are
/// read but swap behaves one fixed way, which the status says.
public enum ConfigSchema {
    /// The whole file.
    public static let root: ObjectSchema = ObjectSchema(
        "the top level", "A swap (llama-swap compatible) configuration file.",
        fields: [
            FieldSchema(
                "healthCheckTimeout", .integer(),
                "Seconds a starting model has to pass its health check (default 120; under 15 counts as 15)."),
            FieldSchema(
                "logLevel", .string,
                "Least severe level of proxy log messages that is written: `debug`, `info` (default), `warn` or "
                    + "`error`, in any case; another word means `info`."),
            FieldSchema(
                "logTimeFormat", .choice(logTimeFormats),
                "Timestamp layout for log lines, by Go time constant name; empty turns timestamps off."),
            FieldSchema(
                "logToStdout", .choice(["proxy", "upstream", "both", "none"]),
                "Which logs reach stdout: the proxy's own, the backends' output, both, or none (default `proxy`)."),
            FieldSchema(
                "store", .object(store), "Durable storage for activity records.", status: .noEffectYet),
            FieldSchema(
                "metricsMaxInMemory", .integer(min: 0),
                "How many request metrics are kept in memory before the oldest are dropped (default 1000).",
                status: .noEffectYet),
            FieldSchema(
                "captureBuffer", .integer(min: 0),
                "Megabytes reserved for request and response captures; 0 turns capturing off.",
                status: .noEffectYet),
            FieldSchema("ui", .object(ui), "Settings of the built-in web UI.", status: .noEffectYet),
            FieldSchema(
                "performance", .object(performance), "Sampling of CPU, memory and GPU statistics."),
            FieldSchema(
                "startPort", .integer(min: 1),
                "First number handed out for `${PORT}`, one more for each model that uses it (default 5800)."),
            FieldSchema(
                "sendLoadingState", .boolean,
                "Stream progress messages in the reasoning field while a model loads (default false)."),
            FieldSchema(
                "includeAliasesInList", .boolean,
                "List every alias in `/v1/models` as an entry of its own (default false)."),
            FieldSchema(
                "globalTTL", .integer(min: 0),
                "Idle seconds after which a model is unloaded, for models without their own `ttl`; 0 never unloads."),
            FieldSchema(
                "drainTimeout", .integer(min: 0),
                "Seconds a reload waits for in-flight requests of a changed model before stopping it (default 60).",
                isExtension: true),
            FieldSchema(
                "unloadTimeout", .integer(min: 0),
                "Seconds a stopping model gets to exit before it is killed (default 10)."),
            FieldSchema("macros", macros, "Named values that `${name}` anywhere in the file expands to."),
            FieldSchema(
                "apiKeys", .list(.string),
                "Keys a client must present to use the inference endpoints; empty means no check."),
            FieldSchema("upstream", .object(upstream), "Settings of the `/upstream/<model>/…` passthrough."),
            FieldSchema(
                "filters", .object(sharedFilters), "Parameter locks applied to requests for every local model.",
                isExtension: true),
            FieldSchema(
                "profiles", .map(.oneOf([.object(profile), .list(.string)])),
                "Named sets of model ID rewrites, at most one active at once; a plain list of IDs is the older form."),
            FieldSchema(
                "selectors", .map(.object(selector)),
                "Virtual model IDs that pick one concrete target for each request."),
            FieldSchema(
                "models", .map(.object(model)), "Model definitions keyed by model ID.", required: true),
            FieldSchema(
                "groups", .map(.object(group)),
                "Legacy spelling of `routing.router.settings.groups`; do not use both."),
            FieldSchema(
                "matrix", .object(matrix), "Legacy spelling of `routing.router.settings.matrix`; do not use both."),
            FieldSchema("hooks", .object(hooks), "Actions run on events of the server's life."),
            FieldSchema(
                "routing", .object(routing), "Which models may run together, and in which order requests wait."),
            FieldSchema(
                "peers", .map(.object(peer)), "Remote servers whose models are offered as `<peer>/<model>`."),
        ])

    /// Go time layout constants accepted by `logTimeFormat`, plus the empty string.
    static let logTimeFormats = [
        "", "ansic", "unixdate", "rubydate", "rfc822", "rfc822z", "rfc850", "rfc1123", "rfc1123z", "rfc3339",
        "rfc3339nano", "kitchen", "stamp", "stampmilli", "stampmicro", "stampnano",
    ]

    /// A `macros` mapping: names to scalar values.
    static let macros: SchemaType = .map(.oneOf([.string, .number(), .boolean]))

    /// `store`.
    static let store = ObjectSchema(
        "`store`", "Where activity records are kept.",
        fields: [
            FieldSchema("path", .string, "SQLite file that keeps activity records across restarts.", required: true)
        ])

    /// `ui`.
    static let ui = ObjectSchema(
        "`ui`", "Web UI settings.",
        fields: [FieldSchema("activity", .object(uiActivity), "Settings of the Activity page.")])

    /// `ui.activity`.
    static let uiActivity = ObjectSchema(
        "`ui.activity`", "Activity page settings.",
        fields: [
            FieldSchema(
                "session_id", .list(.string),
                "Request headers tried in order to label a request's session; an empty list turns this off.")
        ])

    /// `performance`.
    static let performance = ObjectSchema(
        "`performance`", "System statistics sampling.",
        fields: [
            FieldSchema("disabled", .boolean, "Turn statistics sampling off."),
            FieldSchema("every", .duration, "Interval between two samples, such as `15s`."),
        ])

    /// `upstream`.
    static let upstream = ObjectSchema(
        "`upstream`", "Passthrough endpoint settings.",
        fields: [
            FieldSchema(
                "ignorePaths", .list(.string),
                "Patterns of `/upstream/<model>/…` paths that get 409 instead of loading a model that is not running "
                    + "(default: static assets, `.*\\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$`; `[]` for none).")
        ])

    /// One entry of `profiles`.
    public static let profile = ObjectSchema(
        "a profile", "Model ID rewrites that apply while the profile is active.",
        fields: [
            FieldSchema("description", .string, "What the profile is for."),
            FieldSchema(
                "pins", .map(.string),
                "Requested ID to the ID that serves it; an empty string or null makes the ID answer 404.",
                required: true),
        ])

    /// One entry of `selectors`.
    public static let selector = ObjectSchema(
        "a selector", "A virtual model ID resolved to one of its targets per request.",
        fields: [
            FieldSchema(
                "strategy", .choice(["warm", "pin", "spillover"]),
                "How a target is picked: first ready (`warm`), always the first (`pin`), or in order as each fills up.",
                required: true),
            FieldSchema(
                "targets", .list(.string), "Candidate model IDs, aliases or peer models, in order of preference.",
                required: true),
            FieldSchema("name", .string, "Display name in `/v1/models`."),
            FieldSchema("description", .string, "Description in `/v1/models`."),
            FieldSchema("metadata", .any, "Free-form data passed through to `/v1/models`."),
            FieldSchema("unlisted", .boolean, "Leave the selector out of `/v1/models`; it can still be requested."),
            FieldSchema("settings", .object(selectorSettings), "Strategy-specific settings."),
        ])

    /// `selectors.<id>.settings`.
    static let selectorSettings = ObjectSchema(
        "a selector's `settings`", "Strategy-specific selector settings.",
        fields: [
            FieldSchema(
                "spillover", .integer(min: 1),
                "Requests one target takes before the next target is used (default 1).")
        ])

    /// One model.
    public static let model: ObjectSchema = ObjectSchema(
        "a model", "How to start and reach one inference backend.",
        fields: [
            FieldSchema("macros", macros, "Macros for this model only; they shadow group and global ones."),
            FieldSchema("cmd", .string, "Command line that starts the backend; lines starting with `#` are dropped."),
            FieldSchema(
                "cmdStop", .string, "Command that stops the backend (`${PID}` is its process); default is SIGTERM."),
            FieldSchema("name", .string, "Display name in `/v1/models`."),
            FieldSchema("description", .string, "Description in `/v1/models`."),
            FieldSchema("env", .list(.string), "Extra environment for the command, each as `NAME=value`."),
            FieldSchema(
                "proxy", .string, "Base URL requests are forwarded to (default `http://localhost:${PORT}`)."),
            FieldSchema(
                "checkEndpoint", .string,
                "Path polled until it answers 200 before the model is ready (default `/health`); `none` skips it."),
            FieldSchema(
                "ttl", .integer(min: -1), "Idle seconds before the model is unloaded; -1 uses `globalTTL`, 0 never."),
            FieldSchema(
                "unloadTimeout", .integer(min: 0),
                "Seconds this model gets to exit before it is killed; 0 uses the global value."),
            FieldSchema(
                "compat", .object(compat), "Workarounds for particular backends."),
            FieldSchema("useModelName", .string, "Model name sent to the backend instead of the model ID."),
            FieldSchema("filters", .object(modelFilters), "Parameter locks for requests to this model."),
            FieldSchema("aliases", .list(.string), "Other IDs that reach this model; unique across the file."),
            FieldSchema("metadata", .any, "Free-form data passed through to `/v1/models`; macros are expanded."),
            FieldSchema(
                "concurrencyLimit", .integer(),
                "Most requests served at once before others get 429; 0 (or less) uses the default of 10."),
            FieldSchema(
                "sendLoadingState", .boolean, "Overrides the global `sendLoadingState` for this model."),
            FieldSchema("timeouts", .object(timeouts), "Connection timeouts towards the backend."),
            FieldSchema("capabilities", .object(capabilities), "What the model can do, reported in `/v1/models`."),
            FieldSchema("unlisted", .boolean, "Leave the model out of `/v1/models`; it can still be requested."),
        ])

    /// `models.<id>.compat`.
    static let compat = ObjectSchema(
        "a model's `compat`", "Backend workarounds.",
        fields: [
            FieldSchema(
                "ignoreWebsockets", .boolean,
                "Websocket connections neither load the model nor count as activity; swap does not proxy "
                    + "websockets and answers every upgrade with 501 before loading anything, so this always holds.")
        ])

    /// `timeouts` of a model or a peer, all in seconds; 0 turns one off.
    public static let timeouts = ObjectSchema(
        "`timeouts`",
        "Connection timeouts in seconds; 0 turns one off (so does a negative `keepalive`, "
            + "`responseHeader`, `expectContinue` or `idleConn`).",
        fields: [
            FieldSchema("connect", .integer(min: 0), "Seconds to open the TCP connection (default 30)."),
            FieldSchema("keepalive", .integer(), "TCP keepalive period in seconds (default 30)."),
            FieldSchema(
                "responseHeader", .integer(),
                "Seconds to wait for the response headers (default 0, no limit)."),
            FieldSchema(
                "tlsHandshake", .integer(min: 0),
                "Seconds to complete a TLS handshake (default 10); swap gives an https target's TCP connect and "
                    + "TLS handshake `connect` + `tlsHandshake` seconds together."),
            FieldSchema(
                "expectContinue", .integer(),
                "Seconds to wait for `100 Continue` after sending `Expect: 100-continue` (default 1).",
                status: .fixedInSwap(
                    "a request's body is sent at once, without waiting for `100 Continue` (as with 0)")),
            FieldSchema(
                "idleConn", .integer(), "Seconds an idle pooled connection is kept open (default 90)."),
        ])

    /// `models.<id>.capabilities`.
    static let capabilities = ObjectSchema(
        "a model's `capabilities`", "What the model can do.",
        fields: [
            FieldSchema("in", .list(modality), "Kinds of input the model understands."),
            FieldSchema("out", .list(modality), "Kinds of output the model produces."),
            FieldSchema("tools", .boolean, "The model can call functions."),
            FieldSchema("reranker", .boolean, "The model serves `/v1/rerank`."),
            FieldSchema("context", .integer(min: 0), "Largest context the model takes, in tokens."),
        ])

    /// A modality named in `capabilities.in` and `capabilities.out`.
    static let modality: SchemaType = .choice(["text", "audio", "image"])

    /// `filters` of a model: the shared kinds plus `setParamsByID`.
    public static let modelFilters = filters(
        "a model's `filters`",
        byID: FieldSchema(
            "setParamsByID", .map(.map(.any)),
            "Parameters set by requested ID, after `setParams`; each key other than the model ID becomes an alias."),
        legacy: FieldSchema(
            "strip_params", .string, "Older spelling of `stripParams`, read only when `stripParams` is empty."))

    /// `filters` at the top level or in a group.
    public static let sharedFilters = filters("`filters`", byID: nil)

    /// `filters` of a peer.
    public static let peerFilters = filters("a peer's `filters`", byID: nil)

    /// A `filters` object named `name`, with `byID` added when given.
    static func filters(_ name: String, byID: FieldSchema?, legacy: FieldSchema? = nil) -> ObjectSchema {
        var fields = [
            FieldSchema(
                "stripParams", .oneOf([.string, .list(.string)]),
                "Parameters removed from requests, comma-separated (a YAML list is a swap extension); never `model`."),
            FieldSchema("setParams", .map(.any), "Parameters forced to these values in every request; never `model`."),
        ]
        if let byID { fields.append(byID) }
        if let legacy { fields.append(legacy) }
        fields += [
            FieldSchema(
                "defaultParams", .map(.any), "Parameters added only when the request does not carry them.",
                isExtension: true),
            FieldSchema(
                "clampParams", .map(.object(clamp)), "Numeric parameters held between a minimum and a maximum.",
                isExtension: true),
            FieldSchema(
                "final", .list(.string), "Parameters that a more specific level of `filters` may not change.",
                isExtension: true),
        ]
        return ObjectSchema(name, "Parameter locks applied to request bodies.", fields: fields)
    }

    /// One entry of `clampParams`.
    static let clamp = ObjectSchema(
        "a `clampParams` entry", "Bounds for one numeric parameter.",
        fields: [
            FieldSchema("min", .number(), "Smaller values are raised to this.", isExtension: true),
            FieldSchema("max", .number(), "Larger values are lowered to this.", isExtension: true),
        ])

    /// One group.
    public static let group = ObjectSchema(
        "a group", "Models that are loaded and unloaded by one rule.",
        fields: [
            FieldSchema(
                "swap", .boolean, "Only one member runs at a time (default true); false lets all run together."),
            FieldSchema(
                "exclusive", .boolean, "Loading a member unloads the other groups' models (default true)."),
            FieldSchema(
                "persistent", .boolean, "Other groups never unload this group's members (default false)."),
            FieldSchema("members", .list(.string), "IDs of the models in the group."),
            FieldSchema(
                "macros", macros, "Macros for the members; they shadow global macros.", isExtension: true),
            FieldSchema(
                "filters", .object(sharedFilters), "Parameter locks for requests to any member.",
                isExtension: true),
        ])

    /// The swap matrix.
    public static let matrix = ObjectSchema(
        "the matrix", "Combinations of models allowed to run together.",
        fields: [
            FieldSchema("vars", .map(.string), "Short names for model IDs, usable in `sets` and `evict_costs`."),
            FieldSchema(
                "evict_costs", .map(.integer(min: 1)),
                "How costly it is to unload a running model (default 1); the cheapest set wins."),
            FieldSchema(
                "sets", .map(.string),
                "Named expressions over models: `&` together, `|` either, `()` grouping, `+name` another set.",
                required: true),
        ])

    /// `hooks`.
    static let hooks = ObjectSchema(
        "`hooks`", "Event actions.",
        fields: [FieldSchema("on_startup", .object(onStartup), "Actions run once when the server starts.")])

    /// `hooks.on_startup`.
    static let onStartup = ObjectSchema(
        "`hooks.on_startup`", "Start-up actions.",
        fields: [FieldSchema("preload", .list(.string), "Models loaded at start, in order.")])

    /// `routing`.
    static let routing = ObjectSchema(
        "`routing`", "Swap engine and request queue.",
        fields: [
            FieldSchema("router", .object(router), "Which models may be loaded together."),
            FieldSchema("scheduler", .object(scheduler), "Order in which waiting requests are served."),
        ])

    /// `routing.router`.
    static let router = ObjectSchema(
        "`routing.router`", "Swap engine.",
        fields: [
            FieldSchema(
                "use", .choice(["group", "matrix"]), "Swap engine: `group` (default) or `matrix`."),
            FieldSchema("settings", .object(routerSettings), "Settings of the swap engines."),
        ])

    /// `routing.router.settings`.
    static let routerSettings = ObjectSchema(
        "`routing.router.settings`", "Swap engine settings.",
        fields: [
            FieldSchema("groups", .map(.object(group)), "Groups used by the `group` engine, keyed by name."),
            FieldSchema("matrix", .object(matrix), "Sets used by the `matrix` engine."),
        ])

    /// `routing.scheduler`.
    static let scheduler = ObjectSchema(
        "`routing.scheduler`", "Request queue.",
        fields: [
            FieldSchema("use", .choice(["fifo"]), "Queue discipline; only `fifo` exists."),
            FieldSchema("settings", .object(schedulerSettings), "Settings of the queue disciplines."),
        ])

    /// `routing.scheduler.settings`.
    static let schedulerSettings = ObjectSchema(
        "`routing.scheduler.settings`", "Queue settings.",
        fields: [FieldSchema("fifo", .object(fifo), "Settings of the `fifo` queue.")])

    /// `routing.scheduler.settings.fifo`.
    static let fifo = ObjectSchema(
        "`routing.scheduler.settings.fifo`", "First-in, first-out queue settings.",
        fields: [
            FieldSchema(
                "priority", .map(.integer()),
                "Priority by model ID (default 0); higher is served first.")
        ])

    /// One peer.
    public static let peer = ObjectSchema(
        "a peer", "A remote OpenAI-compatible server and the models it serves.",
        fields: [
            FieldSchema("proxy", .string, "Base URL; the request path is appended to it.", required: true),
            FieldSchema("models", .list(.string), "Model IDs the peer serves.", required: true),
            FieldSchema(
                "apiKey", .string, "Key sent as `Authorization: Bearer` and `x-api-key`; empty sends none."),
            FieldSchema("timeouts", .object(timeouts), "Connection timeouts towards the peer."),
            FieldSchema("filters", .object(peerFilters), "Parameter locks for requests to this peer."),
        ])
}
