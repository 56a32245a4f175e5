import Foundation
import SwapTestSupport
import Testing

/// The real llama.cpp `llama-server` and GGUF model that `scripts/setup-llama.sh` caches
/// under `$SWAP_CACHE` (default `~/.cache/swap`).
///
/// Outside CI a missing cache skips the end-to-end tests with a message saying how to
/// enable them; under CI (`CI` set) the tests run anyway and fail with the reason, so a
/// broken setup never passes silently.
struct LlamaAssets: Sendable {
    /// The `llama-server` executable (the cache's symlink, resolved).
    let server: String
    /// The Gemma 3 270M Q4_K_M GGUF file.
    let model: String

    /// The cache root: `$SWAP_CACHE`, else `~/.cache/swap`.
    static var cache: URL {
        if let override = ProcessInfo.processInfo.environment["SWAP_CACHE"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/swap")
    }

    static var serverPath: String { cache.appendingPathComponent("bin/llama-server").path }
    static var modelPath: String { cache.appendingPathComponent("models/gemma3-270m-q4_k_m.gguf").path }

    /// What is missing from the cache, or nil when both files are there.
    static var missing: String? {
        var problems: [String] = []
        let files = FileManager.default
        if !files.isExecutableFile(atPath: serverPath) {
            problems.append("no executable llama-server at \(serverPath)")
        }
        let size = (try? files.attributesOfItem(atPath: modelPath)[.size] as? Int) ?? 0
        if size <= 0 {
            problems.append("no model at \(modelPath)")
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// True when `SWAP_SKIP_LLAMA` is set: the explicit opt-out that also makes
    /// `scripts/setup.sh` leave llama-server alone.
    static var optedOut: Bool { !(ProcessInfo.processInfo.environment["SWAP_SKIP_LLAMA"] ?? "").isEmpty }

    /// True when the tests should run: not opted out, and the cache is complete or this
    /// is CI (where a missing cache must fail, not skip).
    static var shouldRun: Bool { !optedOut && (missing == nil || TestPaths.isCI) }

    /// The reason shown when the tests are skipped.
    static var skipReason: Comment {
        if optedOut {
            return Comment(
                rawValue: "SWAP_SKIP_LLAMA is set: the real llama.cpp end-to-end tests are skipped on purpose")
        }
        return Comment(
            rawValue: "real llama.cpp backend not set up (\(missing ?? "?")): run scripts/setup-llama.sh "
                + "(or scripts/setup.sh) to build llama-server and fetch the model into \(cache.path), "
                + "then swift test --filter EndToEndTests")
    }

    /// The assets, or an error naming what is missing and how to provide it.
    static func require() throws -> LlamaAssets {
        if let missing {
            throw HarnessError(
                "real llama.cpp backend not set up: \(missing). Run scripts/setup-llama.sh (SWAP_CACHE=\(cache.path)); "
                    + "under CI, scripts/setup.sh runs it unless SWAP_SKIP_LLAMA is set.")
        }
        let resolved = URL(fileURLWithPath: serverPath).resolvingSymlinksInPath().path
        return LlamaAssets(server: resolved, model: modelPath)
    }
}
