/// Hashes over exactly the model fields that need a restart (process) and those that
/// can change live, so a reload can tell "restart" from "apply live" from "unchanged".
///
/// Each field is written with its name and a length prefix, so no two different
/// models can produce the same byte stream.
enum Fingerprint {
    static func process(_ model: ModelPlan) -> String {
        var writer = FieldWriter()
        writer.add("argv", model.argvTemplate)
        if let stop = model.stopTemplate { writer.add("stop", stop) } else { writer.add("stop", one: "<none>") }
        writer.add("env", model.env)
        writer.add("proxy", one: model.proxyTemplate)
        writer.add("check", one: model.checkEndpoint ?? "<none>")
        return writer.hasher.hex
    }

    static func live(_ model: ModelPlan) -> String {
        var writer = FieldWriter()
        writer.add("ttl", one: model.ttl)
        writer.add("unload", one: model.unloadTimeout)
        writer.add("limit", one: model.concurrencyLimit)
        writer.add("aliases", model.aliases)
        writer.add("useModelName", one: model.useModelName ?? "<none>")
        writer.add("name", one: model.name ?? "<none>")
        writer.add("description", one: model.description ?? "<none>")
        writer.add("unlisted", one: model.unlisted ? "true" : "false")
        writer.add("metadata", model.metadata ?? .string("<none>"))
        writer.add("locks", model.locks)
        for key in model.locksByRequestedID.keys.sorted() {
            writer.add("locks:" + key, model.locksByRequestedID[key]!)
        }
        writer.add("group", one: model.group)
        writer.add("timeouts", model.timeouts)
        // Only when on, so plans without it keep their hashes.
        if model.sendLoadingState == true { writer.add("sendLoadingState", one: "true") }
        if let capabilities = model.capabilities {
            writer.add("capabilities.in", capabilities.input)
            writer.add("capabilities.out", capabilities.output)
            writer.add(
                "capabilities.flags", one: "\(capabilities.tools) \(capabilities.reranker) \(capabilities.context)")
        }
        return writer.hasher.hex
    }

    /// Feeds named fields to the hash: the name, the number of values, then each value
    /// with its length. Builds no arrays or joined names on the way.
    private struct FieldWriter {
        var hasher = FNV1a()

        mutating func add(_ name: String, _ locks: ParameterLocks) {
            add(name, locks.strip, suffix: ".strip")
            field(name, ".defaults", count: 0)
            feed(locks.defaults)
            field(name, ".set", count: 0)
            feed(locks.set)
            for key in locks.clamp.keys.sorted() {
                let range = locks.clamp[key]!
                field(name, ".clamp", count: 3)
                value(key)
                value(range.min.map { "\($0)" } ?? "-")
                value(range.max.map { "\($0)" } ?? "-")
            }
        }

        mutating func add(_ name: String, _ timeouts: ConnectionTimeouts) {
            field(name, count: 5)
            value(timeouts.connect)
            value(timeouts.keepalive)
            value(timeouts.responseHeader)
            value(timeouts.tlsHandshake)
            value(timeouts.idleConn)
        }

        /// Feeds a JSON value in a canonical form (sorted keys, tagged kinds).
        mutating func add(_ name: String, _ value: JSONValue) {
            field(name, count: 0)
            feed(value)
        }

        private mutating func feed(_ value: JSONValue) {
            switch value {
            case .null: hasher.add(UInt8(0))
            case .bool(let flag):
                hasher.add(UInt8(1))
                hasher.add(UInt8(flag ? 1 : 0))
            case .integer(let number): add("i", one: number)
            case .double(let number): add("d", one: String(number))
            case .string(let text): add("s", one: text)
            case .array(let items):
                add("a", one: items.count)
                for item in items { feed(item) }
            case .object(let members): feed(members)
            }
        }

        private mutating func feed(_ members: [String: JSONValue]) {
            add("o", one: members.count)
            for key in members.keys.sorted() {
                add("k", one: key)
                feed(members[key]!)
            }
        }

        /// The field `name` + `suffix` (hashed as one name) with `values`.
        mutating func add(_ name: String, _ values: [String], suffix: String = "") {
            field(name, suffix, count: values.count)
            for text in values { value(text) }
        }

        mutating func add(_ name: String, one text: String) {
            field(name, count: 1)
            value(text)
        }

        /// The same bytes as `add(name, one: String(number))`.
        mutating func add(_ name: String, one number: Int) {
            field(name, count: 1)
            value(number)
        }

        /// A field's name (written as `name` + `suffix`, as one string) and its count.
        private mutating func field(_ name: String, _ suffix: String = "", count: Int) {
            hasher.addBytes(name)
            hasher.addBytes(suffix)
            hasher.add(UInt8(0xFF))
            hasher.add(count)
        }

        private mutating func value(_ text: String) {
            hasher.add(text.utf8.count)
            hasher.add(text)
        }

        private mutating func value(_ number: Int) {
            value(String(number))
        }
    }
}

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash for change detection.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { add(byte) }
    }

    mutating func add(_ text: String) {
        addBytes(text)
        add(UInt8(0xFF))
    }

    /// The string's UTF-8 bytes, with no terminator.
    mutating func addBytes(_ text: String) {
        add(text.utf8)
    }

    mutating func add(_ number: Int) {
        var remaining = UInt64(bitPattern: Int64(number))
        for _ in 0..<8 {
            add(UInt8(truncatingIfNeeded: remaining))
            remaining >>= 8
        }
    }

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    /// The value as 16 lowercase hex digits.
    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
