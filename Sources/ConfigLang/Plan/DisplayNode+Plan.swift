/// The display tree of a plan: the plan's Codable shape (the keys its synthesized
/// `CodingKeys` use, a nil optional left out), with API keys redacted and each model's
/// `argv` and `proxy` resolved to its offline `${PORT}`.
///
/// Members are listed in sorted key order by hand. `PlanDisplayTests` compares the
/// tree with the plan's `JSONEncoder` encoding, so a field added to a plan type and not
/// here fails a test instead of silently disappearing from `swap-lint plan`.
extension DisplayNode {
    /// What an API key prints as.
    static let redacted = "<redacted>"

    /// The whole plan.
    init(_ plan: Plan) {
        self = .object([
            DisplayMember("models", .object(plan.models, DisplayNode.init)),
            DisplayMember("names", .object(plan.names) { .string($0) }),
            DisplayMember("peers", .object(plan.peers, DisplayNode.init)),
            DisplayMember("preload", .strings(plan.preload)),
            DisplayMember("profiles", .object(plan.profiles, DisplayNode.init)),
            DisplayMember("routing", DisplayNode(plan.routing)),
            DisplayMember("selectors", .object(plan.selectors, DisplayNode.init)),
            DisplayMember("settings", DisplayNode(plan.settings)),
            DisplayMember("sourceHash", .string(plan.sourceHash)),
        ])
    }

    /// Server-wide settings, API keys redacted.
    init(_ settings: PlanSettings) {
        self = .object([
            DisplayMember("apiKeys", .array(settings.apiKeys.map { _ in .string(Self.redacted) })),
            DisplayMember("drainTimeout", .integer(settings.drainTimeout)),
            DisplayMember("globalTTL", .integer(settings.globalTTL)),
            DisplayMember("healthCheckTimeout", .integer(settings.healthCheckTimeout)),
            DisplayMember("includeAliasesInList", .bool(settings.includeAliasesInList)),
            DisplayMember("logLevel", .string(settings.logLevel)),
            DisplayMember("logToStdout", .string(settings.logToStdout)),
            DisplayMember("startPort", .integer(settings.startPort)),
            DisplayMember("unloadTimeout", .integer(settings.unloadTimeout)),
        ])
    }

    /// One model, with `argv` and `proxy` resolved to the offline port.
    init(_ model: ModelPlan) {
        let port = model.port.map { String($0.offline) }
        var members: [DisplayMember] = []
        members.reserveCapacity(24)
        members.append(DisplayMember("aliases", .strings(model.aliases)))
        members.append(DisplayMember("argv", .array(model.argvTemplate.map { .string(Self.resolving($0, port)) })))
        members.append(DisplayMember("argvTemplate", .strings(model.argvTemplate)))
        if let endpoint = model.checkEndpoint { members.append(DisplayMember("checkEndpoint", .string(endpoint))) }
        members.append(DisplayMember("concurrencyLimit", .integer(model.concurrencyLimit)))
        if let text = model.description { members.append(DisplayMember("description", .string(text))) }
        members.append(DisplayMember("env", .strings(model.env)))
        members.append(DisplayMember("group", .string(model.group)))
        members.append(DisplayMember("id", .string(model.id)))
        members.append(DisplayMember("liveFingerprint", .string(model.liveFingerprint)))
        members.append(
            DisplayMember("lockProvenance", .object(model.lockProvenance) { .array($0.map(DisplayNode.init)) }))
        members.append(DisplayMember("locks", DisplayNode(model.locks)))
        members.append(DisplayMember("locksByRequestedID", .object(model.locksByRequestedID, DisplayNode.init)))
        if let metadata = model.metadata { members.append(DisplayMember("metadata", DisplayNode(metadata))) }
        if let name = model.name { members.append(DisplayMember("name", .string(name))) }
        if let slot = model.port {
            members.append(DisplayMember("port", .object([DisplayMember("offline", .integer(slot.offline))])))
        }
        members.append(DisplayMember("processFingerprint", .string(model.processFingerprint)))
        members.append(DisplayMember("proxy", .string(Self.resolving(model.proxyTemplate, port))))
        members.append(DisplayMember("proxyTemplate", .string(model.proxyTemplate)))
        if let stop = model.stopTemplate { members.append(DisplayMember("stopTemplate", .strings(stop))) }
        members.append(DisplayMember("ttl", .integer(model.ttl)))
        members.append(DisplayMember("unlisted", .bool(model.unlisted)))
        members.append(DisplayMember("unloadTimeout", .integer(model.unloadTimeout)))
        if let upstream = model.useModelName { members.append(DisplayMember("useModelName", .string(upstream))) }
        self = .object(members)
    }

    /// Parameter locks.
    init(_ locks: ParameterLocks) {
        self = .object([
            DisplayMember("clamp", .object(locks.clamp, DisplayNode.init)),
            DisplayMember("defaults", .object(locks.defaults, DisplayNode.init)),
            DisplayMember("set", .object(locks.set, DisplayNode.init)),
            DisplayMember("strip", .strings(locks.strip)),
        ])
    }

    /// A clamp range; an open side is left out.
    init(_ range: ClampRange) {
        var members: [DisplayMember] = []
        if let max = range.max { members.append(DisplayMember("max", .number(max))) }
        if let min = range.min { members.append(DisplayMember("min", .number(min))) }
        self = .object(members)
    }

    /// Where one lock came from.
    init(_ origin: LockOrigin) {
        self = .object([
            DisplayMember("kind", .string(origin.kind)),
            DisplayMember("level", .string(origin.level)),
            DisplayMember("span", DisplayNode(origin.span)),
        ])
    }

    /// A source span.
    init(_ span: Span) {
        self = .object([
            DisplayMember("end", DisplayNode(span.end)),
            DisplayMember("file", .string(span.file)),
            DisplayMember("start", DisplayNode(span.start)),
        ])
    }

    /// A source position.
    init(_ location: SourceLocation) {
        self = .object([
            DisplayMember("column", .integer(location.column)),
            DisplayMember("line", .integer(location.line)),
        ])
    }

    /// Routing.
    init(_ routing: RoutingPlan) {
        self = .object([
            DisplayMember("engine", .string(routing.engine)),
            DisplayMember("evictCosts", .object(routing.evictCosts) { .integer($0) }),
            DisplayMember("groups", .array(routing.groups.map(DisplayNode.init))),
            DisplayMember("matrixSets", .array(routing.matrixSets.map(DisplayNode.strings))),
            DisplayMember("priorities", .object(routing.priorities) { .integer($0) }),
        ])
    }

    /// One group.
    init(_ group: GroupPlan) {
        self = .object([
            DisplayMember("exclusive", .bool(group.exclusive)),
            DisplayMember("members", .strings(group.members)),
            DisplayMember("name", .string(group.name)),
            DisplayMember("persistent", .bool(group.persistent)),
            DisplayMember("swap", .bool(group.swap)),
        ])
    }

    /// A peer, its API key redacted.
    init(_ peer: PeerPlan) {
        var members: [DisplayMember] = []
        if peer.apiKey != nil { members.append(DisplayMember("apiKey", .string(Self.redacted))) }
        members.append(DisplayMember("models", .strings(peer.models)))
        members.append(DisplayMember("proxy", .string(peer.proxy)))
        self = .object(members)
    }

    /// A selector.
    init(_ selector: SelectorPlan) {
        self = .object([
            DisplayMember("strategy", .string(selector.strategy)),
            DisplayMember("targets", .strings(selector.targets)),
        ])
    }

    /// A profile; a disabled ID shows as `null`.
    init(_ profile: ProfilePlan) {
        self = .object([DisplayMember("pins", .object(profile.pins) { $0.map(DisplayNode.string) ?? .null })])
    }

    /// `text` with every `${PORT}` replaced by `port`, as ``ModelPlan/argv(port:)`` does,
    /// without scanning by `Character` when the text is ASCII.
    static func resolving(_ text: String, _ port: String?) -> String {
        guard let port, text.utf8.contains(UInt8(ascii: "$")) else { return text }
        let placeholder = Array("${PORT}".utf8)
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return text.replacingOccurrences(of: "${PORT}", with: port) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "$"), bytes[index...].starts(with: placeholder) {
                output.append(contentsOf: port.utf8)
                index += placeholder.count
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
