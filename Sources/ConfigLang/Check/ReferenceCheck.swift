/// Checks that names point at things that exist and that no name is claimed twice:
/// model IDs and aliases, group members, preload, scheduler priorities, profile pins,
/// selector targets, peers, and the routing form.
struct ReferenceCheck {
    let config: Config
    var diagnostics: [Diagnostic] = []

    /// Every name a request may use for a local model, with the model it resolves to
    /// and where the name was declared.
    private(set) var localNames: [String: (model: String, span: Span)] = [:]

    /// The model IDs, as a set.
    let modelIDs: Set<String>

    /// The reference check of a decoded config.
    static func check(_ config: Config) -> [Diagnostic] {
        var check = ReferenceCheck(config: config)
        check.run()
        return check.diagnostics
    }

    init(config: Config) {
        self.config = config
        self.modelIDs = Set(config.models.map(\.id.value))
    }

    mutating func run() {
        collectNames()
        checkModels()
        checkGroups()
        checkRouting()
        checkRequests()
    }

    private mutating func collectNames() {
        // The models are read by index here and below: iterating them would copy each one.
        let models = config.models
        localNames.reserveCapacity(models.count + models.indices.reduce(0) { $0 + models[$1].aliases.count })
        for index in models.indices {
            let id = models[index].id
            localNames[id.value] = (id.value, id.span)
        }
        for index in models.indices {
            let id = models[index].id.value
            var names = models[index].aliases
            let aliasCount = names.count
            for (key, _) in models[index].filters?.setParamsByID ?? [] {
                let expanded = key.value.replacingOccurrences(of: "${MODEL_ID}", with: id)
                if expanded != id, !expanded.containsBytes("${") {
                    names.append(Located(expanded, at: key.span))
                }
            }
            for (position, alias) in names.enumerated() {
                if let existing = localNames[alias.value] {
                    if existing.model == id { continue }
                    let what = existing.model == alias.value ? "the ID of model" : "an alias of model"
                    if position < aliasCount, existing.model == alias.value {
                        // llama-swap loads this: it looks a name up among the model IDs first.
                        diagnostics.append(
                            Diagnostic(
                                .duplicateModelName,
                                "alias `\(alias.value)` is the ID of model `\(existing.model)`; requests for it reach "
                                    + "that model, never `\(id)` (as in llama-swap, which looks up IDs first)",
                                at: alias.span, severity: .warning,
                                related: [RelatedSpan(existing.span, "the model with this ID")],
                                help: "remove the alias or rename it; it can never reach `\(id)`"))
                        continue
                    }
                    diagnostics.append(
                        Diagnostic(
                            .duplicateModelName,
                            "`\(alias.value)` is already \(what) `\(existing.model)`; names must be unique",
                            at: alias.span, related: [RelatedSpan(existing.span, "first claimed here")],
                            help: "rename the alias; a request for `\(alias.value)` could not know which model to start"
                        ))
                    continue
                }
                localNames[alias.value] = (id, alias.span)
            }
        }
    }

    private mutating func checkModels() {
        let models = config.models
        for index in models.indices where models[index].cmd == nil && models[index].proxy == nil {
            let id = models[index].id
            diagnostics.append(
                Diagnostic(
                    .missingCommand, "model `\(id.value)` has neither `cmd` nor `proxy`",
                    at: id.span,
                    help: "add `cmd:` to start a backend, or `proxy:` to forward to one that is already running"))
        }
        if let level = config.root["logLevel"], let text = level.scalar, !level.isNull, !text.containsBytes("${"),
            ConfigDecoder.logLevel(text) == nil
        {
            // llama-swap lower-cases and trims the level and logs at `info` for any other word.
            diagnostics.append(
                Diagnostic(
                    .invalidValue, "`logLevel` `\(text)` is not a level; swap logs at `info`, as llama-swap does",
                    at: level.span, severity: .warning,
                    help: "use one of `debug`, `info`, `warn`, `error`"
                        + (Suggestion.closest(to: text.lowercased(), among: ConfigDecoder.logLevels).map {
                            "; did you mean `\($0)`?"
                        } ?? "")))
        }
        var timeoutBlocks: [(path: String, node: YAMLNode)] = []
        for section in ["models", "peers"] {
            for (id, node) in config.root[section]?.locatedEntries ?? [] {
                if let block = node["timeouts"] { timeoutBlocks.append(("\(section).\(id.value).timeouts", block)) }
            }
        }
        for (path, block) in timeoutBlocks {
            for (key, value) in block.locatedEntries where ConnectionTimeouts.offWhenNegative.contains(key.value) {
                guard let seconds = value.intValue, seconds < 0 else { continue }
                diagnostics.append(
                    Diagnostic(
                        .valueRaised,
                        "`\(path).\(key.value)` of \(seconds) counts as 0 (off), as llama-swap's Go transport reads it",
                        at: value.span, help: "write 0 to turn it off"))
            }
        }
        if let timeout = config.healthCheckTimeout, timeout.value < 15 {
            diagnostics.append(
                Diagnostic(
                    .valueRaised, "`healthCheckTimeout` of \(timeout.value) seconds is raised to 15",
                    at: timeout.span, help: "write 15 or more to say what will actually be used"))
        }
    }

    /// Reports `name` as no model. `ignored` says what swap does instead when llama-swap's
    /// loader accepts the name too: the finding is then a warning that says so.
    private mutating func unknownModel(
        _ name: Located<String>, _ role: String, allowAliases: Bool = false, ignored: String? = nil
    ) {
        let candidates = allowAliases ? Array(localNames.keys).sorted() : modelIDs.sorted()
        let suggestion = Suggestion.closest(to: name.value, among: candidates)
        var help = suggestion.map { "did you mean `\($0)`?" } ?? "define the model under `models:` or remove it here"
        if suggestion == nil, let alias = localNames[name.value], !allowAliases {
            help = "`\(name.value)` is an alias; use the model ID `\(alias.model)`"
        }
        let message = "\(role) `\(name.value)` is not a model defined in `models:`"
        diagnostics.append(
            Diagnostic(
                .unknownModel, ignored.map { message + "; " + $0 } ?? message, at: name.span,
                severity: ignored == nil ? nil : .warning, help: help))
    }

    private mutating func checkGroups() {
        var owner: [String: (group: String, span: Span)] = [:]
        for group in config.groups {
            var seen: [String: Span] = [:]
            for member in group.members {
                if let first = seen[member.value] {
                    diagnostics.append(
                        Diagnostic(
                            .duplicateMember, "group `\(group.name.value)` lists `\(member.value)` twice",
                            at: member.span, related: [RelatedSpan(first, "first listed here")],
                            help: "remove one of them"))
                    continue
                }
                seen[member.value] = member.span
                guard modelIDs.contains(member.value) else {
                    unknownModel(member, "group member")
                    continue
                }
                if let previous = owner[member.value] {
                    diagnostics.append(
                        Diagnostic(
                            .modelInTwoGroups,
                            "model `\(member.value)` is in group `\(previous.group)` and in group `\(group.name.value)`",
                            at: member.span, related: [RelatedSpan(previous.span, "also a member here")],
                            help: "a model can belong to only one group; remove it from one of them"))
                    continue
                }
                owner[member.value] = (group.name.value, member.span)
            }
        }
    }

    private mutating func checkRouting() {
        if let router = config.routerSpan, let legacy = config.legacyRouting.first {
            diagnostics.append(
                Diagnostic(
                    .routingConflict, "routing is configured twice: top-level `groups`/`matrix` and `routing.router`",
                    at: router, related: [RelatedSpan(legacy, "legacy routing written here")],
                    help: "move the groups or matrix under `routing.router.settings` and delete the top-level key"))
        } else if let use = config.routerUse, use.value == "matrix",
            config.root.at("routing", "router", "settings", "matrix") == nil
        {
            diagnostics.append(
                Diagnostic(
                    .missingRequired,
                    "`routing.router.use` is `matrix` but `routing.router.settings.matrix` is missing",
                    at: use.span,
                    help: "add the matrix under `routing.router.settings.matrix`, or use `group`"))
        }
    }

    private mutating func checkRequests() {
        for name in config.preload where localNames[name.value] == nil {
            unknownModel(
                name, "preloaded model", allowAliases: true,
                ignored: "swap skips it at start-up, as llama-swap does")
        }
        for (key, _) in config.priorities where localNames[key.value] == nil {
            unknownModel(key, "scheduler priority key", allowAliases: true)
        }
        let peerNames = Set(config.peers.flatMap { peer in peer.models.map { "\(peer.id.value)/\($0.value)" } })
        let unqualified = Set(config.peers.flatMap { $0.models.map(\.value) })
        let selectorIDs = Set(config.selectors.map(\.id.value))
        for selector in config.selectors {
            if let existing = localNames[selector.id.value] {
                diagnostics.append(
                    Diagnostic(
                        .nameCollision, "selector `\(selector.id.value)` has the same name as a model or alias",
                        at: selector.id.span, related: [RelatedSpan(existing.span, "claimed here")],
                        help: "give the selector a name no model, alias or peer model uses"))
            }
            for target in selector.targets {
                if selectorIDs.contains(target.value) {
                    diagnostics.append(
                        Diagnostic(
                            .selectorChain, "selector target `\(target.value)` is itself a selector", at: target.span,
                            help: "list models, aliases or peer models; selectors cannot point at selectors"))
                } else if localNames[target.value] == nil, !peerNames.contains(target.value),
                    !unqualified.contains(target.value)
                {
                    unknownModel(target, "selector target", allowAliases: true)
                }
            }
        }
        for profile in config.profiles {
            if let pins = config.root["profiles"]?[profile.name.value]?["pins"],
                pins.isNull || pins.entries?.isEmpty == true
            {
                diagnostics.append(
                    Diagnostic(
                        .missingRequired, "profile `\(profile.name.value)` pins nothing", at: pins.span,
                        help: "pin at least one requested ID, for example `pins: {chat: qwen}`, or remove the profile"))
            }
            for pin in profile.pins {
                guard let target = pin.target else { continue }
                if localNames[target.value] == nil, !peerNames.contains(target.value),
                    !unqualified.contains(target.value), !selectorIDs.contains(target.value)
                {
                    unknownModel(target, "profile pin target", allowAliases: true)
                }
            }
        }
        for peer in config.peers {
            if let proxy = peer.proxy, !proxy.value.containsBytes("${"), !URLCheck.isHTTPURL(proxy.value) {
                diagnostics.append(
                    Diagnostic(
                        .invalidURL, "peer `\(peer.id.value)` has proxy `\(proxy.value)`, which is not an http(s) URL",
                        at: proxy.span, help: "write the peer's base URL, for example `https://openrouter.ai/api`"))
            }
        }
        var providers: [String: [String]] = [:]
        for peer in config.peers {
            for model in peer.models { providers[model.value, default: []].append(peer.id.value) }
        }
        let usedNames = config.selectors.flatMap(\.targets) + config.profiles.flatMap { $0.pins.compactMap(\.target) }
        for name in usedNames where localNames[name.value] == nil && !name.value.containsBytes("/") {
            guard let peers = providers[name.value], peers.count > 1 else { continue }
            diagnostics.append(
                Diagnostic(
                    .ambiguousPeerModel,
                    "`\(name.value)` is served by several peers (\(peers.sorted().joined(separator: ", "))), so it is ambiguous",
                    at: name.span, help: "write it fully qualified, e.g. `\(peers.sorted()[0])/\(name.value)`"))
        }
        for peer in config.peers where peer.models.isEmpty && config.root["peers"]?[peer.id.value]?["models"] != nil {
            diagnostics.append(
                Diagnostic(
                    .missingRequired, "peer `\(peer.id.value)` lists no models", at: peer.id.span,
                    help: "list the model IDs the peer serves under `models:`"))
        }
    }
}
