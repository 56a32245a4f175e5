import Foundation
import Testing

@testable import SwapLintCLI

/// The help text is the same, byte for byte, as the tool printed before it parsed its
/// own command line (the fixtures are that output: 80 columns, and `COLUMNS=140` /
/// `COLUMNS=50` for the `-140`/`-50` ones).
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

    @Test func wrapsAtTheTerminalWidth() throws {
        let tool = SwapLintCommandLine.tool
        let check = try #require(tool.command(named: "check"))
        #expect(HelpRenderer.render(check, of: tool, width: 140) == (try fixture("check-140")))
        #expect(HelpRenderer.render(tool, width: 50) == (try fixture("root-50")))
        #expect(HelpRenderer.render(tool, width: 3) == HelpRenderer.render(tool, width: HelpRenderer.minimumWidth))
    }

    @Test func wrappingBreaksBeforeTheLastColumn() {
        let words = String(repeating: "abcd ", count: 20).dropLast()
        let lines = HelpRenderer.wrap(String(words), indent: 4, width: 80).split(separator: "\n")
        #expect(lines.allSatisfy { $0.count < 80 && $0.hasPrefix("    abcd") })
        #expect(HelpRenderer.wrap("short", indent: 26, width: 80) == String(repeating: " ", count: 26) + "short")
        let long = String(repeating: "x", count: 100)
        #expect(HelpRenderer.wrap(long + " y", indent: 0, width: 80) == long + "\ny")
    }
}
