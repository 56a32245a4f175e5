import Foundation
import Testing

@testable import SwapLintCLI

/// The help text is the same, byte for byte, as the tool printed before it parsed its
/// own command line (the fixtures are that output).
@Suite struct HelpRendererTests {
    private static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/help")

    private func fixture(_ name: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent("\(name).txt"), encoding: .utf8)
    }

    @Test func toolHelp() throws {
        #expect(HelpRenderer.render(SwapLintCommandLine.tool) == (try fixture("root")))
    }

    @Test(arguments: ["check", "plan", "diff", "schema", "explain"])
    func commandHelp(name: String) throws {
        let tool = SwapLintCommandLine.tool
        let command = try #require(tool.command(named: name))
        #expect(HelpRenderer.render(command, of: tool) == (try fixture(name)))
    }

    @Test func wrappingBreaksBeforeTheLastColumn() {
        let words = String(repeating: "abcd ", count: 20).dropLast()
        let lines = HelpRenderer.wrap(String(words), indent: 4).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count < HelpRenderer.width && $0.hasPrefix("    abcd") })
        #expect(HelpRenderer.wrap("short", indent: 26) == String(repeating: " ", count: 26) + "short")
        let long = String(repeating: "x", count: 100)
        #expect(HelpRenderer.wrap(long + " y", indent: 0) == long + "\ny")
    }
}
