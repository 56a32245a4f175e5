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
        writer.add("metadata", [model.metadata?.serialized() ?? "<none>"])
        writer.add("locks", [serialize(model.locks)])
        for key in model.locksByRequestedID.keys.sorted() {
            writer.add("locks:" + key, [serialize(model.locksByRequestedID[key]!)])
        }
        writer.add("group", [model.group])
        return writer.hasher.hex
    }

    private static func serialize(_ locks: ParameterLocks) -> String {
        var clamp: [String: JSONValue] = [:]
        for (key, range) in locks.clamp {
            clamp[key] = .array([range.min.map(JSONValue.double) ?? .null, range.max.map(JSONValue.double) ?? .null])
        }
        return JSONValue.object([
            "strip": .array(locks.strip.map(JSONValue.string)), "defaults": .object(locks.defaults),
            "set": .object(locks.set), "clamp": .object(clamp),
        ]).serialized()
    }

    private struct FieldWriter {
        var hasher = FNV1a()

        mutating func add(_ name: String, _ values: [String]) {
            hasher.add(Array("\(name):\(values.count);".utf8))
            for value in values {
                let bytes = Array(value.utf8)
                hasher.add(Array("\(bytes.count):".utf8))
                hasher.add(bytes)
            }
        }
    }
}

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash for change detection.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
