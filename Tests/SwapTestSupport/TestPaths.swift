import Foundation

/// Where the shared corpus is (read in place, never copied).
public enum TestPaths {
    /// The package root: this file is `<root>/Tests/SwapTestSupport/TestPaths.swift`.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shared corpus of real llama-swap configs (read in place, never copied).
    public static let corpus: URL = {
        if let override = ProcessInfo.processInfo.environment["SWAP_CORPUS_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/llama-swap-configs")
    }()

    /// True when the corpus folder is there.
    public static var corpusExists: Bool {
        FileManager.default.fileExists(atPath: corpus.appendingPathComponent("EXPECTED.tsv").path)
    }

    /// True on CI, where a missing corpus or backend is a failure, not a skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }
}
