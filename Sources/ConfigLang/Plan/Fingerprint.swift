/// Hashes over exactly the model fields that need a restart (process) and those that
/// can change live, so a reload can tell "restart" from "apply live" from "unchanged".
///
/// Each field is written with its name and a length prefix, so no two different
/// models can produce the same byte stream.
enum Fingerprint {
    static func process(_ model: ModelPlan) -> String {
        var writer = FieldWriter()
        writer.add("argv", model.argvTemplate)
        writer.add("stop", model.stopTemplate ?? ["<none>"])
        writer.add("env", model.env)
        writer.add("proxy", [model.proxyTemplate])
        writer.add("check", [model.checkEndpoint ?? "<none>"])
        return writer.hasher.hex
    }

    static func live(_ model: ModelPlan) -> String {
        var writer = FieldWriter()
        writer.add("ttl", [String(model.ttl)])
        writer.add("unload", [String(model.unloadTimeout)])
        writer.add("limit", [String(model.concurrencyLimit)])
        writer.add("aliases", model.aliases)
        writer.add("useModelName", [model.useModelName ?? "<none>"])
        writer.add("name", [model.name ?? "<none>"])
        writer.add("description", [model.description ?? "<none>"])
        writer.add("unlisted", [String(model.unlisted)])
        writer.add("metadata", model.metadata ?? .string("<none>"))
        writer.add("locks", model.locks)
        for key in model.locksByRequestedID.keys.sorted() {
            writer.add("locks:" + key, model.locksByRequestedID[key]!)
        }
        writer.add("group", [model.group])
        return writer.hasher.hex
    }

    private struct FieldWriter {
        var hasher = FNV1a()

        mutating func add(_ name: String, _ locks: ParameterLocks) {
            add(name + ".strip", locks.strip)
            add(name + ".defaults", .object(locks.defaults))
            add(name + ".set", .object(locks.set))
            for key in locks.clamp.keys.sorted() {
                let range = locks.clamp[key]!
                add(name + ".clamp", [key, range.min.map { "\($0)" } ?? "-", range.max.map { "\($0)" } ?? "-"])
            }
        }

        /// Feeds a JSON value in a canonical form (sorted keys, tagged kinds).
        mutating func add(_ name: String, _ value: JSONValue) {
            add(name, [])
            feed(value)
        }

        private mutating func feed(_ value: JSONValue) {
            switch value {
            case .null: hasher.add([0])
            case .bool(let flag): hasher.add([1, flag ? 1 : 0])
            case .integer(let number): add("i", [String(number)])
            case .double(let number): add("d", [String(number)])
            case .string(let text): add("s", [text])
            case .array(let items):
                add("a", [String(items.count)])
                for item in items { feed(item) }
            case .object(let members):
                add("o", [String(members.count)])
                for key in members.keys.sorted() {
                    add("k", [key])
                    feed(members[key]!)
                }
            }
        }

        mutating func add(_ name: String, _ values: [String]) {
            hasher.add(name)
            hasher.add(values.count)
            for value in values {
                hasher.add(value.utf8.count)
                hasher.add(value)
            }
        }
    }
}

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash for change detection.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { add($0) }
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add($0) }
        add(UInt8(0xFF))
    }

    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        var value = self.value
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        self.value = value
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

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
