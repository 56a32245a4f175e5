/// Turns a checked config into a ``Plan``: splits commands into argv, assigns
/// `${PORT}` slots, folds parameter locks, normalises routing and computes each
/// model's fingerprints.
public enum PlanBuilder {
    /// The plan, or nil when the config has errors; plus this stage's diagnostics.
    public struct Result: Sendable {
        /// The plan, present only when no stage reported an error.
        public var plan: Plan?
        /// Every diagnostic of the check and of this stage, sorted.
        public var diagnostics: [Diagnostic]
        /// The typed config the plan was built from, when the YAML parsed.
        public var config: Config?
    }

    /// Compiles `files` all the way to a plan: the checks (``ConfigChecker``), then the
    /// plan stage.
    public static func compile(_ files: [SourceFile], environment: [String: String]) -> Result {
        let checked = ConfigChecker.check(files, environment: environment)
        guard let config = checked.config else {
            return Result(plan: nil, diagnostics: checked.diagnostics, config: nil)
        }
        var builder = Builder(config: config, expanded: checked.expandedNodes, sources: checked.sources)
        let plan = builder.build(sourceHash: sourceHash(files))
        let diagnostics = (checked.diagnostics + builder.diagnostics).sortedByPosition()
        return Result(plan: diagnostics.hasErrors ? nil : plan, diagnostics: diagnostics, config: config)
    }

    /// The hash of a config's bytes, as ``Plan/sourceHash`` holds it (hex FNV-1a 64).
    public static func sourceHash(_ files: [SourceFile]) -> String {
        var hasher = FNV1a()
        for file in files {
            hasher.add(file.name)
            hasher.add(file.bytes)
        }
        return hasher.hex
    }

    struct Builder {
        let config: Config
        /// Each model's expanded node, in the order of `config.models`.
        let expanded: [YAMLNode]
        let sources: [String: SourceFile]
        var diagnostics: [Diagnostic] = []

        init(config: Config, expanded: [YAMLNode], sources: [String: SourceFile]) {
            self.config = config
            self.expanded = expanded
            self.sources = sources
        }

        mutating func build(sourceHash: String) -> Plan {
            let groupOfModel = config.groupIndexByModel()
            let bases = baseFoldings()
            // Ports go to sorted model IDs in turn; a `startPort` past the top counts from
            // just past it, so the first model using `${PORT}` is reported (SL211).
            var nextPort = min(config.startPort, PortSlot.maximum + 1)
            var built: [ModelPlan] = []
            var order: [Int] = []
            let models = config.models
            let ids = models.map(\.id.value)
            for index in ids.indices.sorted(by: { ids[$0] < ids[$1] }) {
                guard index < expanded.count else { continue }
                let node = expanded[index]
                var port: PortSlot?
                if (node["cmd"]?.scalar ?? "").containsBytes("${PORT}") {
                    if nextPort <= PortSlot.maximum {
                        port = PortSlot(offline: nextPort)
                    } else if nextPort == PortSlot.maximum + 1 {
                        diagnostics.append(portsExhausted(at: models[index].id))
                    }
                    // Past the top the count only has to stay above it, so it cannot overflow.
                    nextPort = min(nextPort, PortSlot.maximum + 1) + 1
                }
                let model = models[index]
                let group = groupOfModel[model.id.value].map { config.groups[$0] }
                let plan = modelPlan(
                    model, node: node, group: group, port: port,
                    base: group.flatMap { bases.groups[$0.name.value] } ?? bases.global)
                built.append(plan)
                order.append(index)
            }
            let names = nameTable(built, order: order)
            var plans: [String: ModelPlan] = [:]
            for plan in built { plans[plan.id] = plan }
            var planSettings = settings()
            planSettings.upstreamIgnorePaths = ignorePaths()
            planSettings.storePath = config.storePath
            planSettings.metricsMaxInMemory = config.metricsMaxInMemory
            planSettings.captureBuffer = config.captureBuffer
            planSettings.sessionIDHeaders = config.sessionIDHeaders
            return Plan(
                sourceHash: sourceHash, settings: planSettings, models: plans, routing: routing(names: names),
                names: names, peers: peers(), selectors: selectors(), profiles: profiles(),
                preload: config.preload.compactMap { names[$0.value] })
        }

        /// The diagnostic for the first model whose `${PORT}` number would pass 65535.
        func portsExhausted(at id: Located<String>) -> Diagnostic {
            Diagnostic(
                .portOutOfRange,
                "`${PORT}` for model `\(id.value)` would be past 65535, counting up from `startPort` \(config.startPort)",
                at: id.span, help: "lower `startPort` so that every model using `${PORT}` gets a port")
        }

        /// Every name a request may use, to the model ID it resolves to: each ID, then
        /// aliases and `setParamsByID` keys in source order (a model's own ID always
        /// wins, and the first model to claim an alias keeps it). `order[i]` is the
        /// source position of `built[i]`.
        func nameTable(_ built: [ModelPlan], order: [Int]) -> [String: String] {
            var names = [String: String](minimumCapacity: 3 * built.count)
            var builtIndex = [Int?](repeating: nil, count: config.models.count)
            for index in built.indices {
                let id = built[index].id
                names[id] = id
                builtIndex[order[index]] = index
            }
            for case let index? in builtIndex {
                let id = built[index].id
                for alias in built[index].aliases where names[alias] == nil { names[alias] = id }
                for alias in built[index].locksByRequestedID.keys.sorted() where names[alias] == nil {
                    names[alias] = id
                }
            }
            return names
        }

        /// The global locks, and the global plus each group's by group name. Their own
        /// problems are reported here, once.
        mutating func baseFoldings() -> (global: LockFolding, groups: [String: LockFolding]) {
            var global = LockFolding()
            if let filters = config.filters { global.add(.init(label: "global", filters: filters)) }
            diagnostics += global.diagnostics
            global.diagnostics = []
            var result: [String: LockFolding] = [:]
            for group in config.groups where result[group.name.value] == nil {
                var folding = global
                if let filters = group.filters {
                    folding.add(.init(label: "group `\(group.name.value)`", filters: filters))
                    diagnostics += folding.diagnostics
                    folding.diagnostics = []
                }
                result[group.name.value] = folding
            }
            return (global, result)
        }

        /// `upstream.ignorePaths`, each checked to compile as a regular expression; when
        /// the key is absent, llama-swap's default (paths of static assets, so a web page
        /// served by a backend does not start its model for a stylesheet); nil when the
        /// key lists none.
        mutating func ignorePaths() -> [String]? {
            guard let given = config.upstreamIgnorePaths else { return Self.defaultIgnorePaths }
            for pattern in given where (try? Regex(pattern.value)) == nil {
                diagnostics.append(
                    Diagnostic(
                        .invalidPattern, "`upstream.ignorePaths` entry `\(pattern.value)` is not a regular expression",
                        at: pattern.span,
                        help: "write a pattern such as `^/(health|props)$`; escape `.`, `(`, `[` meant literally"))
            }
            let patterns = given.map(\.value)
            return patterns.isEmpty ? nil : patterns
        }

        /// The `upstream.ignorePaths` of a config that does not set it.
        static let defaultIgnorePaths = [#".*\.(js|json|css|png|gif|jpg|jpeg|ico|txt)$"#]

        func settings() -> PlanSettings {
            PlanSettings(
                healthCheckTimeout: max(15, config.healthCheckTimeout?.value ?? 120), globalTTL: config.globalTTL,
                unloadTimeout: config.unloadTimeout, startPort: config.startPort,
                includeAliasesInList: config.includeAliasesInList, apiKeys: config.apiKeys.map(\.value),
                logLevel: config.logLevel, logToStdout: config.logToStdout, drainTimeout: config.drainTimeout,
                logTimeFormat: config.logTimeFormat, performanceEvery: config.performanceEvery,
                performanceDisabled: config.performanceDisabled)
        }

        /// `base` holds the global and group levels, folded once for every model they cover.
        mutating func modelPlan(
            _ model: ModelConfig, node: YAMLNode, group: GroupConfig?, port: PortSlot?, base: LockFolding
        ) -> ModelPlan {
            let cmdText = node["cmd"]?.scalar ?? ""
            let argv = words(cmdText, at: node["cmd"]?.span ?? model.id.span)
            let stop = node["cmdStop"]?.scalar.flatMap { text in
                text.trimmingWhitespace().isEmpty ? nil : words(text, at: node["cmdStop"]!.span)
            }
            // A `cmd` with `${PORT}` uses a port even when none was left for it (SL211).
            let usesPort = port != nil || cmdText.containsBytes("${PORT}")
            let proxyNode = node["proxy"]
            let proxy = proxyNode?.scalar.flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:${PORT}"
            if let proxyNode, !URLCheck.isHTTPURL(proxy) {
                diagnostics.append(
                    Diagnostic(
                        .invalidURL, "`proxy` `\(proxy)` is not an http(s) URL", at: proxyNode.span,
                        help: "write the backend's base URL, for example `http://127.0.0.1:${PORT}`"))
            }
            if proxy.containsBytes("${PORT}") && !usesPort && node["cmd"] != nil {
                diagnostics.append(
                    Diagnostic(
                        .portInProxyOnly,
                        proxyNode == nil
                            ? "model `\(model.id.value)` has no `proxy` and its `cmd` does not use `${PORT}`"
                            : "`proxy` uses `${PORT}` but `cmd` does not", at: proxyNode?.span ?? model.id.span,
                        help: "put `--port ${PORT}` in `cmd`, or give `proxy` the fixed address the backend listens on")
                )
            }
            let check = node["checkEndpoint"]?.scalar ?? "/health"
            if let checkNode = node["checkEndpoint"], !check.isEmpty, check != "none", !check.hasPrefix("/") {
                diagnostics.append(
                    Diagnostic(
                        .invalidValue, "`checkEndpoint` `\(check)` is neither a path nor `none`", at: checkNode.span,
                        help: "write the path the backend answers 200 on once ready, starting with `/` "
                            + "(for example `/health`), or `none` to skip the check"))
            }
            let ttl = node["ttl"]?.secondsValue ?? -1
            let unload = node["unloadTimeout"]?.secondsValue ?? 0
            let limit = node["concurrencyLimit"]?.intValue ?? 0
            if limit < 0, let limitNode = node["concurrencyLimit"] {
                diagnostics.append(
                    Diagnostic(
                        .valueRaised,
                        "`concurrencyLimit` of \(limit) counts as 0, the default of 10 requests at once (as in llama-swap)",
                        at: limitNode.span, help: "write 0 for the default, or the limit you mean"))
            }
            let env = node["env"]?.locatedStrings.map(\.value) ?? []

            var folding = base
            let modelFilters = node["filters"].flatMap { ConfigDecoder.filters($0, legacyStrip: true) }
            if let modelFilters { folding.add(.init(label: "model `\(model.id.value)`", filters: modelFilters)) }
            var byID: [String: ParameterLocks] = [:]
            for (key, params) in modelFilters?.setParamsByID ?? [] {
                var specific = folding
                specific.diagnostics = []
                specific.addRequestedID(key, params: params)
                diagnostics += specific.diagnostics
                if key.value == model.id.value {
                    folding = specific
                } else {
                    byID[key.value] = specific.locks
                }
            }
            diagnostics += folding.diagnostics

            var plan = ModelPlan(
                id: model.id.value, argvTemplate: argv, stopTemplate: stop, env: env, proxyTemplate: proxy, port: port,
                checkEndpoint: check == "none" ? nil : (check.isEmpty ? "/health" : check),
                ttl: ttl < 0 ? config.globalTTL : ttl, unloadTimeout: unload > 0 ? unload : config.unloadTimeout,
                concurrencyLimit: limit > 0 ? limit : 10,
                aliases: node["aliases"]?.locatedStrings.map(\.value) ?? [],
                useModelName: node["useModelName"]?.scalar.flatMap { $0.isEmpty ? nil : $0 },
                name: node["name"]?.scalar, description: node["description"]?.scalar,
                unlisted: node["unlisted"]?.boolValue ?? false,
                metadata: node["metadata"].flatMap { $0.isNull ? nil : JSONValue(yaml: $0) },
                locks: folding.locks, locksByRequestedID: byID,
                lockProvenance: folding.provenance,
                group: group?.name.value ?? GroupPlan.defaultName, processFingerprint: "", liveFingerprint: "",
                timeouts: ConfigDecoder.timeouts(node["timeouts"]))
            if node["sendLoadingState"]?.boolValue ?? config.sendLoadingState { plan.sendLoadingState = true }
            if let declared = node["capabilities"], declared.entries != nil {
                let capabilities = ModelCapabilities(
                    input: declared["in"]?.locatedStrings.map(\.value) ?? [],
                    output: declared["out"]?.locatedStrings.map(\.value) ?? [],
                    tools: declared["tools"]?.boolValue ?? false, reranker: declared["reranker"]?.boolValue ?? false,
                    context: declared["context"]?.intValue ?? 0)
                if !capabilities.isEmpty { plan.capabilities = capabilities }
            }
            plan.processFingerprint = Fingerprint.process(plan)
            plan.liveFingerprint = Fingerprint.live(plan)
            return plan
        }

        mutating func words(_ text: String, at span: Span) -> [String] {
            do {
                return try ShellWords.split(text)
            } catch {
                // llama-swap's splitter never fails: it closes the quote at the end of the
                // command and drops a lone trailing backslash; swap runs the same words.
                let instead =
                    error.kind == .trailingBackslash
                    ? "swap drops the `\\`, as llama-swap does"
                    : "swap reads the quote as closed at the end of the command, as llama-swap does"
                diagnostics.append(
                    Diagnostic(
                        .commandSyntax, "\(error.message); \(instead)", at: span,
                        help: "close the quote, or escape it with a backslash"))
                return error.words
            }
        }

        mutating func routing(names: [String: String]) -> RoutingPlan {
            let ids = config.models.map(\.id.value)
            let modelIDs = Set(ids)
            var groups = config.groups.map {
                GroupPlan(
                    name: $0.name.value, swap: $0.swap, exclusive: $0.exclusive, persistent: $0.persistent,
                    members: $0.members.map(\.value).filter { modelIDs.contains($0) })
            }
            let grouped = Set(groups.flatMap(\.members))
            let ungrouped = ids.filter { !grouped.contains($0) }.sorted()
            if !ungrouped.isEmpty {
                groups.append(
                    GroupPlan(
                        name: GroupPlan.defaultName, swap: true, exclusive: true, persistent: false, members: ungrouped)
                )
            }
            var priorities: [String: Int] = [:]
            for (key, value) in config.priorities {
                if let id = names[key.value] { priorities[id] = value }
            }
            let matrixEngine = config.routerUse?.value == "matrix" || (config.routerUse == nil && config.matrix != nil)
            var sets: [[String]] = []
            var costs: [String: Int] = [:]
            if let matrix = config.matrix {
                var aliases = names
                for id in ids { aliases[id] = nil }
                var compiler = MatrixCompiler(matrix: matrix, modelIDs: modelIDs, aliases: aliases, sources: sources)
                (sets, costs) = compiler.compile()
                diagnostics += compiler.diagnostics
            }
            return RoutingPlan(
                engine: matrixEngine ? "matrix" : "group", groups: groups, matrixSets: sets, evictCosts: costs,
                priorities: priorities)
        }

        /// The peers, each with the locks its own `filters` declare (global and group
        /// filters are for local models only).
        mutating func peers() -> [String: PeerPlan] {
            var result: [String: PeerPlan] = [:]
            for peer in config.peers {
                var folding = LockFolding()
                if let filters = peer.filters { folding.add(.init(label: "peer `\(peer.id.value)`", filters: filters)) }
                diagnostics += folding.diagnostics
                result[peer.id.value] = PeerPlan(
                    proxy: peer.proxy?.value ?? "", models: peer.models.map(\.value), apiKey: peer.apiKey?.value,
                    locks: folding.locks, timeouts: peer.timeouts)
            }
            return result
        }

        func selectors() -> [String: SelectorPlan] {
            var result: [String: SelectorPlan] = [:]
            for selector in config.selectors {
                result[selector.id.value] = SelectorPlan(
                    strategy: selector.strategy?.value ?? "warm", targets: selector.targets.map(\.value))
            }
            return result
        }

        func profiles() -> [String: ProfilePlan] {
            var result: [String: ProfilePlan] = [:]
            for profile in config.profiles {
                var pins: [String: String?] = [:]
                for pin in profile.pins { pins[pin.key.value] = .some(pin.target?.value) }
                result[profile.name.value] = ProfilePlan(pins: pins, description: profile.description)
            }
            return result
        }
    }
}

extension GroupPlan {
    /// The name of the group ungrouped models form.
    public static let defaultName = "(default)"
}
