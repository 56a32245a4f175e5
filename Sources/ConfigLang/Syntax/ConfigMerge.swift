/// Merges the root mappings of several files (`--config` plus `--config-dir`) the way
/// llama-swap does: identity maps may not repeat a key, other maps merge, lists
/// concatenate, scalars must agree. Every node keeps the span of the file it came from.
enum ConfigMerge {
    /// Top-level maps whose keys are identities (a model ID may be defined once).
    static let identityMaps: Set<String> = ["models", "groups", "profiles", "selectors", "peers"]

    static func merge(_ roots: [YAMLNode]) -> (YAMLNode?, [Diagnostic]) {
        guard var result = roots.first else { return (nil, []) }
        var diagnostics: [Diagnostic] = []
        for next in roots.dropFirst() {
            result = merge(result, next, path: [], diagnostics: &diagnostics)
        }
        return (result, diagnostics)
    }

    private static func merge(_ a: YAMLNode, _ b: YAMLNode, path: [String], diagnostics: inout [Diagnostic])
        -> YAMLNode
    {
        if a.isNull { return b }
        if b.isNull { return a }
        switch (a.kind, b.kind) {
        case (.mapping(let left), .mapping(let right)):
            var entries = left
            let identity =
                path.count == 1 && identityMaps.contains(path[0])
                || path == ["routing", "router", "settings", "groups"]
            for entry in right {
                guard let index = entries.firstIndex(where: { $0.name == entry.name }) else {
                    entries.append(entry)
                    continue
                }
                if identity {
                    diagnostics.append(
                        Diagnostic(
                            .duplicateKey, "`\(entry.name)` is defined in more than one config file",
                            at: entry.key.span, related: [RelatedSpan(entries[index].key.span, "first defined here")],
                            help: "define each \(path.last ?? "entry") in one file only"))
                    continue
                }
                entries[index].value = merge(
                    entries[index].value, entry.value, path: path + [entry.name], diagnostics: &diagnostics)
            }
            var merged = a
            merged.kind = .mapping(entries)
            return merged
        case (.sequence(let left), .sequence(let right)):
            var merged = a
            merged.kind = .sequence(left + right)
            return merged
        case (.scalar(let left, _), .scalar(let right, _)):
            if left != right {
                diagnostics.append(
                    Diagnostic(
                        .duplicateKey,
                        "`\(path.joined(separator: "."))` is set to different values in two config files",
                        at: b.span, related: [RelatedSpan(a.span, "other value here")],
                        help: "set it in one file only, or make both values the same"))
            }
            return a
        default:
            diagnostics.append(
                Diagnostic(
                    .typeMismatch,
                    "`\(path.joined(separator: "."))` is \(b.kindDescription) here but \(a.kindDescription) in another file",
                    at: b.span, related: [RelatedSpan(a.span, "other definition here")],
                    help: "use the same shape in every file"))
            return a
        }
    }
}
