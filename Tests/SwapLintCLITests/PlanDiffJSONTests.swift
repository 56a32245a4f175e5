import ConfigLang
import Foundation
import Testing

@testable import SwapLintCLI

/// `swap-lint diff --format json` writes what `JSONEncoder` wrote before, without
/// linking Foundation into the tool.
@Suite struct PlanDiffJSONTests {
    private func encoded(_ diff: PlanDiff) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return String(decoding: try encoder.encode(diff), as: UTF8.self) + "\n"
    }

    /// A diff with these lists (PlanDiff has no public initialiser; it is Codable).
    private func diff(
        restart: [String] = [], applyLive: [String] = [], unchanged: [String] = [], added: [String] = [],
        removed: [String] = []
    ) throws -> PlanDiff {
        let lists = [
            "restart": restart, "applyLive": applyLive, "unchanged": unchanged, "added": added, "removed": removed,
        ]
        return try JSONDecoder().decode(PlanDiff.self, from: JSONEncoder().encode(lists))
    }

    @Test func emptyDiff() throws {
        let empty = try diff()
        #expect(empty.prettyJSON == (try encoded(empty)))
    }

    @Test func everyListFilledWithAwkwardNames() throws {
        let full = try diff(
            restart: ["org/model:Q4", "quote\"back\\slash"], applyLive: ["tab\tnew\nline\r"],
            unchanged: ["\u{01}\u{1F}\u{7F}", "é 模型 🦙"], added: ["a"], removed: ["\u{08}\u{0C}", "b", "c"])
        #expect(full.prettyJSON == (try encoded(full)))
    }
}
