import Foundation

/// Paths the tests read in place.
enum TestPaths {
    /// The package root, found from this file's location.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared corpus of real llama-swap configs (never copied into the project).
    static let corpus: URL = {
        if let override = ProcessInfo.processInfo.environment["SWAP_CORPUS_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/llama-swap-configs")
    }()

    /// True when the corpus folder is there.
    static var corpusExists: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("EXPECTED.tsv").path)
    }

    /// True on CI, where a missing corpus is a failure, not a skip.
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Reads a file as a SourceFile-ready byte array.
    static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }
}
