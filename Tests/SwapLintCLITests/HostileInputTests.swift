import Foundation
import Subprocess
import SwapTestSupport
import Testing

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Inputs built to exhaust a YAML compiler — collections nested tens of thousands deep,
/// aliases of aliases ("billion laughs"), a 10 MB scalar — each end in diagnostics, with
/// `swap-lint check` running under a data limit of ``dataLimitKiB`` (heap and private
/// mappings; a process that needs more fails its allocations and crashes or reports
/// an error, and the test fails).
///
/// Each shape is generated several times with random sizes and placements (seeded, so a
/// failure reproduces).
@Suite struct HostileInputTests {
    /// The memory bound: 256 MiB of data (RLIMIT_DATA). The largest of these inputs
    /// needs about a fifth of it.
    static let dataLimitKiB = 256 * 1024

    struct Outcome {
        var status: Int32?
        var output: String
    }

    /// Runs `swap-lint check --format gnu FILE` under the data limit.
    static func check(_ text: String) async throws -> Outcome {
        try await ServerHarness.withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("hostile.yaml")
            try Data(text.utf8).write(to: file)
            let binary = ServerHarness.binaries.appendingPathComponent("swap-lint").path
            let result = try await Subprocess.run(
                .path("/bin/sh"),
                arguments: [
                    "-c", "ulimit -d \(dataLimitKiB) && exec \"$0\" check --format gnu \"$1\"", binary, file.path,
                ],
                output: .string(limit: 1 << 20), error: .string(limit: 1 << 20))
            var status: Int32?
            if case .exited(let code) = result.terminationStatus { status = code }
            return Outcome(status: status, output: (result.standardOutput ?? "") + (result.standardError ?? ""))
        }
    }

    static let header = "models:\n  m:\n    cmd: /bin/server --port ${PORT}\n"

    @Test("collections nested far deeper than the limit end in SL108")
    func nestedFlow() async throws {
        var random = SplitMix64(state: 0x4E57_ED00)
        for _ in 0..<3 {
            let depth = 129 + Int(random.next() % 100_000)
            var opening = ""
            var closing = ""
            for _ in 0..<depth {
                if random.next() % 2 == 0 {
                    opening += "["
                    closing += "]"
                } else {
                    opening += "{k: "
                    closing += "}"
                }
            }
            let text = Self.header + "    metadata: " + opening + "x" + String(closing.reversed()) + "\n"
            let outcome = try await Self.check(text)
            #expect(outcome.status == 1, "depth \(depth): \(outcome.output.prefix(500))")
            #expect(outcome.output.contains("[SL108]"), "depth \(depth): \(outcome.output.prefix(500))")
        }
    }

    @Test("aliases of aliases end in SL109")
    func aliasBomb() async throws {
        var random = SplitMix64(state: 0xB0_0B)
        for _ in 0..<3 {
            let width = 6 + Int(random.next() % 7)
            let levels = 8 + Int(random.next() % 6)
            var lines = [Self.header + "    metadata:", "      l0: &l0 [\"lol\", \"lol\", \"lol\"]"]
            for level in 1...levels {
                lines.append(
                    "      l\(level): &l\(level) ["
                        + Array(repeating: "*l\(level - 1)", count: width).joined(separator: ", ") + "]")
            }
            let outcome = try await Self.check(lines.joined(separator: "\n") + "\n")
            #expect(outcome.status == 1, "\(width)×\(levels): \(outcome.output.prefix(500))")
            #expect(outcome.output.contains("[SL109]"), "\(width)×\(levels): \(outcome.output.prefix(500))")
        }
    }

    @Test("a 10 MB scalar is read and reported like any other value")
    func hugeScalar() async throws {
        var random = SplitMix64(state: 0x10_3B)
        let body = String(repeating: "abcdefgh", count: (10 << 20) / 8)
        for style in ["plain", "quoted", "block"] {
            let key = random.next() % 2 == 0 ? "colour" : "description"
            let value =
                switch style {
                case "plain": body
                case "quoted": "\"" + body + "\""
                default: "|\n      " + body
                }
            // An unknown key beside it, so that the file always has something to report.
            let text = Self.header + "    \(key): \(value)\n    tll: 60\n"
            let outcome = try await Self.check(text)
            #expect(outcome.status == 0, "\(style) \(key): \(outcome.output.prefix(500))")
            #expect(outcome.output.contains("unknown key `tll`"), "\(style) \(key): \(outcome.output.prefix(500))")
        }
    }
}

/// Issue 20's compiler shapes, each through the `swap-lint` binary under the same data
/// limit as the YAML bombs above.
@Suite struct CompilerLimitTests {
    @Test("each hostile compiler shape ends in its diagnostic", arguments: HostileConfigs.all())
    func shape(_ shape: HostileConfigs.Shape) async throws {
        let outcome = try await HostileInputTests.check(shape.text)
        #expect(outcome.status == 1, "\(outcome.output.prefix(500))")
        #expect(outcome.output.contains("[\(shape.code)]"), "\(outcome.output.prefix(500))")
    }

    @Test("macros doubling 40 times that no model uses cost nothing")
    func unusedDoubling() async throws {
        let outcome = try await HostileInputTests.check(HostileConfigs.unusedDoubling())
        #expect(outcome.status == 0, "\(outcome.output.prefix(500))")
    }
}
