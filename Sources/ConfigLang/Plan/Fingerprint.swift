import Foundation

/// Hashes over exactly the model fields that need a restart (process) and those that
/// can change live, so a reload can tell "restart" from "apply live" from "unchanged".
enum Fingerprint {
    private struct ProcessFields: Encodable {
        var argv: [String]
        var stop: [String]?
        var env: [String]
        var proxy: String
        var checkEndpoint: String?
    }

    private struct LiveFields: Encodable {
        var ttl: Int
        var unloadTimeout: Int
        var concurrencyLimit: Int
        var aliases: [String]
        var useModelName: String?
        var name: String?
        var description: String?
        var unlisted: Bool
        var metadata: JSONValue?
        var locks: ParameterLocks
        var locksByRequestedID: [String: ParameterLocks]
        var group: String
    }

    static func process(_ model: ModelPlan) -> String {
        hash(
            ProcessFields(
                argv: model.argvTemplate, stop: model.stopTemplate, env: model.env, proxy: model.proxyTemplate,
                checkEndpoint: model.checkEndpoint))
    }

    static func live(_ model: ModelPlan) -> String {
        hash(
            LiveFields(
                ttl: model.ttl, unloadTimeout: model.unloadTimeout, concurrencyLimit: model.concurrencyLimit,
                aliases: model.aliases, useModelName: model.useModelName, name: model.name,
                description: model.description, unlisted: model.unlisted, metadata: model.metadata, locks: model.locks,
                locksByRequestedID: model.locksByRequestedID, group: model.group))
    }

    private static func hash<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var hasher = FNV1a()
        hasher.add(Array((try? encoder.encode(value)) ?? Data()))
        return hasher.hex
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
