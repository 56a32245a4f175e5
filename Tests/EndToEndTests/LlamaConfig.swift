import Foundation

/// Builds swap configs whose models run the real `llama-server` on the cached GGUF.
///
/// The paths are interpolated into the YAML here (the harness's `{FAKE}` placeholder is
/// for the fake backend); `{START_PORT}` is still left for the harness to fill in.
struct LlamaConfig: Sendable {
    /// One model entry: a llama-server with its own context size, plus extra YAML lines
    /// (already indented by four spaces) such as `ttl: 2` or a `filters:` block.
    struct Model: Sendable {
        var name: String
        var contextSize: Int
        var extra: [String] = []
    }

    let assets: LlamaAssets

    /// The `cmd` for a llama-server with `contextSize` tokens of context, one slot and two
    /// threads, listening on swap's `${PORT}` on loopback.
    func command(contextSize: Int) -> String {
        "\(Self.quoted(assets.server)) --port ${PORT} --host 127.0.0.1 -m \(Self.quoted(assets.model))"
            + " --ctx-size \(contextSize) -np 1 --threads 2"
    }

    /// A whole config: `models`, then `groupYAML` (a top-level `groups:` block or empty).
    func yaml(_ models: [Model], groups groupYAML: String = "") -> String {
        var lines = [
            "healthCheckTimeout: 120",
            // A drained generation must end on its own: on a loaded 2-core machine 160 tokens
            // can take longer than the default 60 s the drain waits before stopping the process.
            "drainTimeout: 600",
            "startPort: {START_PORT}",
            "models:",
        ]
        for model in models {
            lines.append("  \(model.name):")
            // A block scalar, so shell quoting in the command is not read as YAML quoting.
            lines.append("    cmd: >-")
            lines.append("      \(command(contextSize: model.contextSize))")
            lines.append("    checkEndpoint: /health")
            lines.append(contentsOf: model.extra)
        }
        if !groupYAML.isEmpty { lines.append(groupYAML) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `path` quoted for swap's POSIX-style word splitting when it holds anything unusual.
    static func quoted(_ path: String) -> String {
        let plain = path.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) }
        return plain ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
