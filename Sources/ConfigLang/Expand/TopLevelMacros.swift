/// Global macros in the values outside `models` (`healthCheckTimeout: ${timeout}`,
/// `apiKeys: ["${key}"]`, peers, hooks, …), as llama-swap expands them in any
/// configuration value. Runs before the schema check, so an expanded value is
/// type-checked like a written one; a value that is exactly one `${name}` of a plain
/// macro stays plain and keeps the macro's type. Models are expanded later, each in
/// its own scope (``MacroCheck``); `macros` itself is left as written.
enum TopLevelMacros {
    static func expand(_ root: YAMLNode, sources: [String: SourceFile]) -> (YAMLNode, [Diagnostic]) {
        guard let entries = root.entries,
            let definitions = root["macros"]?.entries, !definitions.isEmpty
        else { return (root, []) }
        let scope = MacroCheck.scope(ConfigDecoder.macros(root["macros"]))
        var expander = MacroExpander(scope: scope, modelID: nil, sources: sources)
        var result = entries
        for index in entries.indices where !["models", "macros"].contains(entries[index].name) {
            result[index] = YAMLEntry(key: entries[index].key, value: expander.expandValue(entries[index].value))
        }
        var copy = root
        copy.kind = .mapping(result)
        return (copy, expander.diagnostics)
    }
}
