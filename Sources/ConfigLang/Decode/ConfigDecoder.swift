/// Builds the typed ``Config`` from a syntax tree that has been schema-checked.
public enum ConfigDecoder {
    /// The levels `logLevel` names.
    static let logLevels = ["debug", "info", "warn", "error"]

    /// The level `text` names as llama-swap reads it (trimmed, any case), or nil.
    static func logLevel(_ text: String) -> String? {
        let level = text.trimmingWhitespace().lowercased()
        return logLevels.contains(level) ? level : nil
    }

    /// Decodes `root`. Never fails: missing or mistyped values are simply absent.
    public static func decode(_ root: YAMLNode) -> Config {
        var config = Config(root: root)
        config.macros = macros(root["macros"])
        config.models = (root["models"]?.locatedEntries ?? []).map { model(id: $0.0, node: $0.1) }
        config.filters = root["filters"].flatMap { filters($0, legacyStrip: false) }
        config.preload = root.at("hooks", "on_startup", "preload")?.locatedStrings ?? []

        if let legacy = root.entry("groups") {
            config.legacyRouting.append(legacy.key.span)
        }
        if let legacy = root.entry("matrix") {
            config.legacyRouting.append(legacy.key.span)
        }
        let router = root.at("routing")?.entry("router")
        config.routerSpan = router?.key.span
        config.routerUse = router?.value["use"]?.locatedString
        let settings = router?.value["settings"]
        let groupsNode = root["groups"] ?? settings?["groups"]
        for (name, node) in groupsNode?.locatedEntries ?? [] {
            config.groups.append(group(name: name, node: node))
        }
        if let entry = root.entry("matrix") ?? settings?.entry("matrix") {
            config.matrix = matrix(entry.value, span: entry.key.span)
        }
        for (key, value) in root.at("routing", "scheduler", "settings", "fifo", "priority")?.locatedEntries ?? [] {
            if let priority = value.intValue { config.priorities.append((key, priority)) }
        }
        for (name, node) in root["profiles"]?.locatedEntries ?? [] {
            var profile = ProfileConfig(name: name)
            profile.description = node["description"]?.locatedString?.value
            for (key, target) in node["pins"]?.locatedEntries ?? [] where target.scalar != nil {
                let text = target.isNull ? nil : target.locatedString
                profile.pins.append((key, text.flatMap { $0.value.isEmpty ? nil : $0 }))
            }
            config.profiles.append(profile)
        }
        for (id, node) in root["selectors"]?.locatedEntries ?? [] {
            config.selectors.append(
                SelectorConfig(
                    id: id, strategy: node["strategy"]?.locatedString,
                    targets: node["targets"]?.locatedStrings ?? []))
        }
        for (id, node) in root["peers"]?.locatedEntries ?? [] {
            config.peers.append(
                PeerConfig(
                    id: id, proxy: node["proxy"]?.locatedString, models: node["models"]?.locatedStrings ?? [],
                    apiKey: node["apiKey"]?.locatedString,
                    filters: node["filters"].flatMap { filters($0, legacyStrip: false) },
                    timeouts: timeouts(node["timeouts"])))
        }
        config.startPort = root["startPort"]?.intValue ?? 5800
        if let node = root["healthCheckTimeout"], let value = node.secondsValue {
            config.healthCheckTimeout = Located(value, at: node.span)
        }
        config.globalTTL = root["globalTTL"]?.secondsValue ?? 0
        config.unloadTimeout = root["unloadTimeout"]?.secondsValue ?? 10
        config.sendLoadingState = root["sendLoadingState"]?.boolValue ?? false
        config.upstreamIgnorePaths = root.at("upstream", "ignorePaths")?.locatedStrings
        config.drainTimeout = root["drainTimeout"]?.secondsValue ?? 60
        config.includeAliasesInList = root["includeAliasesInList"]?.boolValue ?? false
        config.apiKeys = root["apiKeys"]?.locatedStrings ?? []
        config.logLevel = root["logLevel"]?.scalar.flatMap(logLevel) ?? "info"
        config.logToStdout = root["logToStdout"]?.scalar ?? "proxy"
        config.logTimeFormat = root["logTimeFormat"]?.scalar
        config.performanceEvery = root.at("performance", "every")?.scalar.flatMap(ScalarParsing.duration)
        config.performanceDisabled = root.at("performance", "disabled")?.boolValue
        config.storePath = root.at("store", "path")?.scalar
        config.metricsMaxInMemory = root["metricsMaxInMemory"]?.intValue
        config.captureBuffer = root["captureBuffer"]?.intValue
        config.sessionIDHeaders = root.at("ui", "activity", "session_id")?.locatedStrings.map(\.value)
        return config
    }

    static func macros(_ node: YAMLNode?) -> [MacroDefinition] {
        (node?.entries ?? []).map { MacroDefinition(name: Located($0.name, at: $0.key.span), value: $0.value) }
    }

    static func model(id: Located<String>, node: YAMLNode) -> ModelConfig {
        var model = ModelConfig(id: id, node: node)
        model.macros = macros(node["macros"])
        model.cmd = node["cmd"]?.locatedString
        model.cmdStop = node["cmdStop"]?.locatedString
        model.proxy = node["proxy"]?.locatedString
        model.aliases = node["aliases"]?.locatedStrings ?? []
        model.filters = node["filters"].flatMap { filters($0, legacyStrip: true) }
        model.checkEndpoint = node["checkEndpoint"]?.locatedString
        if let ttl = node["ttl"], let value = ttl.secondsValue { model.ttl = Located(value, at: ttl.span) }
        model.unlisted = node["unlisted"]?.boolValue ?? false
        return model
    }

    /// A `timeouts` mapping; keys not given (or not integers) keep their defaults.
    static func timeouts(_ node: YAMLNode?) -> ConnectionTimeouts {
        var timeouts = ConnectionTimeouts.defaults
        guard let node, node.entries != nil else { return timeouts }
        func read(_ key: String, into value: inout Int) {
            guard let number = node[key]?.secondsValue else { return }
            if number >= 0 {
                value = number
            } else if ConnectionTimeouts.offWhenNegative.contains(key) {
                value = 0
            }
        }
        read("connect", into: &timeouts.connect)
        read("keepalive", into: &timeouts.keepalive)
        read("responseHeader", into: &timeouts.responseHeader)
        read("tlsHandshake", into: &timeouts.tlsHandshake)
        read("idleConn", into: &timeouts.idleConn)
        return timeouts
    }

    static func group(name: Located<String>, node: YAMLNode) -> GroupConfig {
        var group = GroupConfig(name: name)
        group.swap = node["swap"]?.boolValue ?? true
        group.exclusive = node["exclusive"]?.boolValue ?? true
        group.persistent = node["persistent"]?.boolValue ?? false
        group.members = node["members"]?.locatedStrings ?? []
        group.macros = macros(node["macros"])
        group.filters = node["filters"].flatMap { filters($0, legacyStrip: false) }
        return group
    }

    /// A `filters` mapping. A model's (`legacyStrip`) also reads `strip_params`, the older
    /// spelling llama-swap still reads when `stripParams` is empty.
    static func filters(_ node: YAMLNode, legacyStrip: Bool) -> FiltersConfig? {
        guard node.entries != nil else { return nil }
        var filters = FiltersConfig(span: node.span)
        let written = node["stripParams"].flatMap { $0.isNull || $0.scalar == "" ? nil : $0 }
        if let strip = written ?? (legacyStrip ? node["strip_params"] : nil) {
            if let items = strip.items {
                filters.stripParams = items.compactMap(\.locatedString).filter { !$0.value.isEmpty }
            } else if let text = strip.scalar, !strip.isNull {
                filters.stripParams = splitList(text, node: strip)
            }
        }
        filters.setParams = node["setParams"]?.locatedEntries ?? []
        filters.defaultParams = node["defaultParams"]?.locatedEntries ?? []
        filters.clampParams = node["clampParams"]?.locatedEntries ?? []
        filters.final = node["final"]?.locatedStrings ?? []
        filters.setParamsByID = node["setParamsByID"]?.locatedEntries ?? []
        return filters
    }

    /// Splits `"temperature, top_p"` into names, each with its own span when the
    /// scalar sits on one line.
    static func splitList(_ text: String, node: YAMLNode) -> [Located<String>] {
        let quote = node.style == .plain ? 0 : 1
        let oneLine = node.span.start.line == node.span.end.line
        let bytes = Array(text.utf8)
        /// Columns count Unicode scalars: every byte that does not continue one.
        func scalars(_ range: Range<Int>) -> Int {
            var count = 0
            for index in range where bytes[index] & 0xC0 != 0x80 { count += 1 }
            return count
        }
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        func isSpace(_ byte: UInt8) -> Bool { isBlank(byte) || byte == 0x0A || byte == 0x0D }
        var result: [Located<String>] = []
        var column = 0
        var partStart = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: ",") {
            var low = partStart
            while low < index, isSpace(bytes[low]) { low += 1 }
            var high = index
            while high > low, isSpace(bytes[high - 1]) { high -= 1 }
            if low < high {
                let name = String(decoding: bytes[low..<high], as: UTF8.self)
                var span = node.span
                if oneLine {
                    var leading = partStart
                    while leading < index, isBlank(bytes[leading]) { leading += 1 }
                    let start = node.span.start.column + quote + column + scalars(partStart..<leading)
                    span = span.with(
                        start: SourceLocation(line: span.start.line, column: start),
                        end: SourceLocation(line: span.start.line, column: start + scalars(low..<high)))
                }
                result.append(Located(name, at: span))
            }
            column += scalars(partStart..<index) + 1
            partStart = index + 1
        }
        return result
    }

    static func matrix(_ node: YAMLNode, span: Span) -> MatrixConfig {
        var matrix = MatrixConfig(span: span)
        for (key, value) in node["vars"]?.locatedEntries ?? [] {
            if let target = value.locatedString { matrix.vars.append((key, target)) }
        }
        for (key, value) in node["sets"]?.locatedEntries ?? [] {
            if let expression = value.locatedString { matrix.sets.append((key, expression)) }
        }
        for (key, value) in node["evict_costs"]?.locatedEntries ?? [] {
            if let cost = value.intValue { matrix.evictCosts.append((key, Located(cost, at: value.span))) }
        }
        return matrix
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        let bytes = utf8
        var first: UTF8View.Index?
        var end = bytes.startIndex
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let here = index
            let byte = bytes[index]
            index = bytes.index(after: index)
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if first == nil { first = here }
            end = index
        }
        guard let first else { return "" }
        return String(self[first..<end])
    }
}
