import ConfigLang
import Foundation
import Testing

@testable import SwapLintCLI

/// `swap-lint diff --format json` says what `JSONEncoder` says of the diff, without
/// linking Foundation into the tool.
@Suite struct PlanDiffJSONTests {
    /// The diff as `JSONEncoder` encodes it, read back as a value to compare with.
    private func encoded(_ diff: PlanDiff) throws -> JSONValue {
        try JSONValue(parsing: [UInt8](try JSONEncoder().encode(diff)))
    }

    private func printed(_ diff: PlanDiff) throws -> JSONValue {
        try JSONValue(parsing: Array(diff.prettyJSON.utf8))
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
        #expect(try printed(empty) == (try encoded(empty)))
        #expect(
            empty.prettyJSON
                == "{\n  \"added\": [],\n  \"applyLive\": [],\n  \"removed\": [],\n  \"restart\": [],\n  \"unchanged\": []\n}\n"
        )
    }

    @Test func everyListFilledWithAwkwardNames() throws {
        let full = try diff(
            restart: ["org/model:Q4", "quote\"back\\slash"], applyLive: ["tab\tnew\nline\r"],
            unchanged: ["\u{01}\u{1F}\u{7F}", "é 模型 🦙"], added: ["a"], removed: ["\u{08}\u{0C}", "b", "c"])
        #expect(try printed(full) == (try encoded(full)))
    }
}
