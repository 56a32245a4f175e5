/// A plan as display tokens: the plan's Codable shape (the keys its synthesized
/// `CodingKeys` use, a nil optional left out), with API keys redacted and each model's
/// `argv` and `proxy` resolved to its offline `${PORT}`.
///
/// Members are listed in sorted key order by hand. `PlanRendererTests` compares the
/// display tree with the plan's `JSONEncoder` encoding on a plan that fills every field, so a
/// field added to a plan type and not here fails a test instead of silently
/// disappearing from `swap-lint plan`.
extension DisplayTree {
    /// What an API key prints as.
    static let redacted = "<redacted>"

    /// `text` with every `${PORT}` replaced by `port`, as ``ModelPlan/argv(port:)`` does.
    static func resolving(_ text: String, _ port: String?) -> String {
        guard let port else { return text }
        return text.replacingOccurrences(of: "${PORT}", with: port)
    }
}

extension DisplaySink {
    /// Appends the whole plan; with `rendered` (each model's text and the name table's,
    /// written in the output format, a round of models at a time as they are reached)
    /// those are not added token by token.
    mutating func add(_ plan: Plan, rendered: RenderedPlanParts? = nil) {
        add(.beginObject)
        member("models")
        if let rendered {
            add(.beginObject)
            for index in rendered.ids.indices {
                add(.key(rendered.ids[index]))
                add(.rendered(rendered.text(at: index)))
            }
            add(.endObject)
            member("names", .rendered(rendered.names))
        } else {
            add(plan.models) { $0.add($1) }
            member("names")
            add(plan.names) { $0.add(.string($1)) }
        }
        member("peers")
        add(plan.peers) { $0.add($1) }
        member("preload")
        add(strings: plan.preload)
        member("profiles")
        add(plan.profiles) { $0.add($1) }
        member("routing")
        add(plan.routing)
        member("selectors")
        add(plan.selectors) { $0.add($1) }
        member("settings")
        add(plan.settings)
        member("sourceHash", .string(plan.sourceHash))
        add(.endObject)
    }

    /// Appends server-wide settings, API keys redacted.
    mutating func add(_ settings: PlanSettings) {
        add(.beginObject)
        member("apiKeys")
        add(strings: settings.apiKeys.map { _ in DisplayTree.redacted })
        member("drainTimeout", .integer(settings.drainTimeout))
        member("globalTTL", .integer(settings.globalTTL))
        member("healthCheckTimeout", .integer(settings.healthCheckTimeout))
        member("includeAliasesInList", .bool(settings.includeAliasesInList))
        member("logLevel", .string(settings.logLevel))
        member("logToStdout", .string(settings.logToStdout))
        member("startPort", .integer(settings.startPort))
        member("unloadTimeout", .integer(settings.unloadTimeout))
        add(.endObject)
    }

    /// Appends one model, with `argv` and `proxy` resolved to the offline port.
    mutating func add(_ model: ModelPlan) {
        let port = model.port.map { String($0.offline) }
        add(.beginObject)
        member("aliases")
        add(strings: model.aliases)
        member("argv")
        add(.beginArray)
        for word in model.argvTemplate { add(.string(DisplayTree.resolving(word, port))) }
        add(.endArray)
        member("argvTemplate")
        add(strings: model.argvTemplate)
        if let endpoint = model.checkEndpoint { member("checkEndpoint", .string(endpoint)) }
        member("concurrencyLimit", .integer(model.concurrencyLimit))
        if let text = model.description { member("description", .string(text)) }
        member("env")
        add(strings: model.env)
        member("group", .string(model.group))
        member("id", .string(model.id))
        member("liveFingerprint", .string(model.liveFingerprint))
        member("lockProvenance")
        add(model.lockProvenance) { tree, origins in
            tree.add(.beginArray)
            for origin in origins { tree.add(origin) }
            tree.add(.endArray)
        }
        member("locks")
        add(model.locks)
        member("locksByRequestedID")
        add(model.locksByRequestedID) { $0.add($1) }
        if let metadata = model.metadata {
            member("metadata")
            add(json: metadata)
        }
        if let name = model.name { member("name", .string(name)) }
        if let slot = model.port {
            member("port")
            add(.beginObject)
            member("offline", .integer(slot.offline))
            add(.endObject)
        }
        member("processFingerprint", .string(model.processFingerprint))
        member("proxy", .string(DisplayTree.resolving(model.proxyTemplate, port)))
        member("proxyTemplate", .string(model.proxyTemplate))
        if let stop = model.stopTemplate {
            member("stopTemplate")
            add(strings: stop)
        }
        member("timeouts")
        add(model.timeouts)
        member("ttl", .integer(model.ttl))
        member("unlisted", .bool(model.unlisted))
        member("unloadTimeout", .integer(model.unloadTimeout))
        if let upstream = model.useModelName { member("useModelName", .string(upstream)) }
        add(.endObject)
    }

    /// Appends parameter locks.
    mutating func add(_ locks: ParameterLocks) {
        add(.beginObject)
        member("clamp")
        add(locks.clamp) { $0.add($1) }
        member("defaults")
        add(locks.defaults) { $0.add(json: $1) }
        member("set")
        add(locks.set) { $0.add(json: $1) }
        member("strip")
        add(strings: locks.strip)
        add(.endObject)
    }

    /// Appends a clamp range; an open side is left out.
    mutating func add(_ range: ClampRange) {
        add(.beginObject)
        if let max = range.max { member("max", DisplayTree.number(max)) }
        if let min = range.min { member("min", DisplayTree.number(min)) }
        add(.endObject)
    }

    /// Appends where one lock came from.
    mutating func add(_ origin: LockOrigin) {
        add(.beginObject)
        member("kind", .string(origin.kind))
        member("level", .string(origin.level))
        member("span")
        add(.beginObject)
        member("end")
        add(origin.span.end)
        member("file", .string(origin.span.file))
        member("start")
        add(origin.span.start)
        add(.endObject)
        add(.endObject)
    }

    /// Appends a source position.
    mutating func add(_ location: SourceLocation) {
        add(.beginObject)
        member("column", .integer(location.column))
        member("line", .integer(location.line))
        add(.endObject)
    }

    /// Appends routing.
    mutating func add(_ routing: RoutingPlan) {
        add(.beginObject)
        member("engine", .string(routing.engine))
        member("evictCosts")
        add(routing.evictCosts) { $0.add(.integer($1)) }
        member("groups")
        add(.beginArray)
        for group in routing.groups { add(group) }
        add(.endArray)
        member("matrixSets")
        add(.beginArray)
        for set in routing.matrixSets { add(strings: set) }
        add(.endArray)
        member("priorities")
        add(routing.priorities) { $0.add(.integer($1)) }
        add(.endObject)
    }

    /// Appends one group.
    mutating func add(_ group: GroupPlan) {
        add(.beginObject)
        member("exclusive", .bool(group.exclusive))
        member("members")
        add(strings: group.members)
        member("name", .string(group.name))
        member("persistent", .bool(group.persistent))
        member("swap", .bool(group.swap))
        add(.endObject)
    }

    /// Appends a peer, its API key redacted.
    mutating func add(_ peer: PeerPlan) {
        add(.beginObject)
        if peer.apiKey != nil { member("apiKey", .string(DisplayTree.redacted)) }
        member("locks")
        add(peer.locks)
        member("models")
        add(strings: peer.models)
        member("proxy", .string(peer.proxy))
        member("timeouts")
        add(peer.timeouts)
        add(.endObject)
    }

    /// Appends connection timeouts.
    mutating func add(_ timeouts: ConnectionTimeouts) {
        add(.beginObject)
        member("connect", .integer(timeouts.connect))
        member("idleConn", .integer(timeouts.idleConn))
        member("keepalive", .integer(timeouts.keepalive))
        member("responseHeader", .integer(timeouts.responseHeader))
        member("tlsHandshake", .integer(timeouts.tlsHandshake))
        add(.endObject)
    }

    /// Appends a selector.
    mutating func add(_ selector: SelectorPlan) {
        add(.beginObject)
        member("strategy", .string(selector.strategy))
        member("targets")
        add(strings: selector.targets)
        add(.endObject)
    }

    /// Appends a profile; a disabled ID shows as `null`.
    mutating func add(_ profile: ProfilePlan) {
        add(.beginObject)
        member("pins")
        add(profile.pins) { $0.add($1.map(DisplayTree.Token.string) ?? .null) }
        add(.endObject)
    }

    private mutating func member(_ key: String) {
        add(.key(key))
    }

    private mutating func member(_ key: String, _ scalar: DisplayTree.Token) {
        add(.key(key))
        add(scalar)
    }

}
