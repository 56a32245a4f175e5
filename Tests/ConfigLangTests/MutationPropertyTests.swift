import Foundation
import Testing

@testable import ConfigLang
import SwapTestSupport

/// Random byte mutations of real configs never crash the compiler: every run ends in
/// diagnostics or a result.
@Suite(
    "mutation property",
    .enabled(
        if: TestPaths.corpusExists || TestPaths.isCI,
        "skipping: corpus not found at \(TestPaths.corpus.path) (set SWAP_CORPUS_DIR; on CI this fails)"))
struct MutationPropertyTests {
    /// Bytes that tend to matter to YAML and to our macro syntax.
    static let interesting: [UInt8] = Array(":-[]{}#&*!|>'\"%@`,?\n\t ${}\\<".utf8) + [0x00, 0xC3, 0xFF, 0xE2]

    static func mutate(_ bytes: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var bytes = bytes
        let edits = Int(generator.next() % 8) + 1
        for _ in 0..<edits where !bytes.isEmpty {
            let index = Int(generator.next() % UInt64(bytes.count))
            switch generator.next() % 5 {
            case 0: bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            case 1: bytes[index] = interesting[Int(generator.next() % UInt64(interesting.count))]
            case 2: bytes.remove(at: index)
            case 3: bytes.insert(interesting[Int(generator.next() % UInt64(interesting.count))], at: index)
            default:
                let length = min(bytes.count - index, Int(generator.next() % 64))
                let target = Int(generator.next() % UInt64(bytes.count))
                bytes.insert(contentsOf: bytes[index..<(index + length)], at: target)
            }
        }
        return bytes
    }

    @Test("mutated corpus files end in diagnostics or a config, never a crash")
    func mutationsNeverCrash() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count == 58)
        var generator = SplitMix64(state: 0x5EED_0F_5A9)
        var outcomes = (diagnosed: 0, clean: 0)
        for file in files {
            let original = try TestPaths.bytes(TestPaths.corpus.appendingPathComponent(file))
            for round in 0..<12 {
                let mutated = Self.mutate(original, using: &generator)
                let result = ConfigChecker.check(
                    [SourceFile(name: "\(file)#\(round)", bytes: mutated)], environment: [:])
                for diagnostic in result.diagnostics {
                    #expect(diagnostic.span.start.line >= 1 && diagnostic.span.start.column >= 1)
                    #expect(!diagnostic.message.isEmpty)
                }
                #expect(result.config != nil || result.diagnostics.hasErrors)
                if result.diagnostics.isEmpty { outcomes.clean += 1 } else { outcomes.diagnosed += 1 }
            }
        }
        #expect(outcomes.diagnosed > 0)
    }
}
