/// Renders a plan for people and tools: deterministic JSON (sorted keys) or YAML, with
/// each model's argv and proxy resolved to its offline `${PORT}` and API keys redacted.
///
/// The output has the plan's Codable shape (the keys `JSONEncoder` would write, a nil
/// optional left out) plus `argv` and `proxy` on each model. It is built straight from
/// the plan and written into one buffer, so a 1000-model plan renders in milliseconds.
///
/// ```swift
/// let text = PlanRenderer.render(plan, model: "qwen-coder", format: .yaml)
/// ```
public enum PlanRenderer {
    /// Output formats of `swap-lint plan`.
    public enum Format: String, Sendable, CaseIterable {
        /// Pretty JSON with sorted keys.
        case json
        /// Block YAML with sorted keys.
        case yaml
    }

    /// The plan (or one model of it) as text; an unknown `model` renders as `null`.
    public static func render(_ plan: Plan, model: String? = nil, format: Format) -> String {
        String(decoding: renderUTF8(plan, model: model, format: format), as: UTF8.self)
    }

    /// The same text as ``render(_:model:format:)``, as UTF-8 bytes (no string to build).
    public static func renderUTF8(_ plan: Plan, model: String? = nil, format: Format) -> [UInt8] {
        write(documentTree(plan, model: model, format: format), format: format, nested: false)
    }

    /// Writes the same bytes as ``renderUTF8(_:model:format:)`` to `sink` in pieces of
    /// up to 64 KiB, without holding the whole document in memory.
    public static func render(
        _ plan: Plan, model: String? = nil, format: Format, to sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let buffer = TextBuffer(streamingTo: sink)
        write(documentTree(plan, model: model, format: format), format: format, nested: false, into: buffer)
        buffer.flush()
    }

    /// The document's tree; on a large plan each model's text is already written (on
    /// every core) and placed in the tree as it is.
    private static func documentTree(_ plan: Plan, model: String?, format: Format) -> DisplayTree {
        var tree: DisplayTree
        if model == nil, plan.models.count >= ParallelMap.threshold {
            // Each model's text is written on its own core; the document then places it.
            let ids = Array(plan.models.keys)
            let texts = ParallelMap.map(ids.count) { index in
                var modelTree = DisplayTree(capacity: 256)
                modelTree.add(plan.models[ids[index]]!)
                return write(modelTree, format: format, nested: true)
            }
            tree = DisplayTree(capacity: 256 + 2 * plan.models.count + 2 * plan.names.count)
            tree.add(plan, renderedModels: Dictionary(uniqueKeysWithValues: zip(ids, texts)))
        } else {
            tree = Self.tree(plan, model: model)
        }
        return tree
    }

    /// The bytes of `tree` written as the whole document, or (`nested`) as a model.
    private static func write(_ tree: DisplayTree, format: Format, nested: Bool) -> [UInt8] {
        let buffer = TextBuffer(capacity: 32 * tree.tokens.count)
        write(tree, format: format, nested: nested, into: buffer)
        return buffer.bytes
    }

    /// Writes `tree` as the whole document, or (`nested`) as a model under `models`.
    private static func write(_ tree: DisplayTree, format: Format, nested: Bool, into buffer: TextBuffer) {
        switch format {
        case .json:
            tree.writeJSON(into: buffer, depth: nested ? 2 : 0)
            if !nested { buffer.append(byte: UInt8(ascii: "\n")) }
        case .yaml:
            tree.writeYAML(into: buffer, indent: nested ? 2 : 0)
        }
    }

    /// The plan as a JSON value with resolved argv/proxy and redacted keys.
    public static func display(_ plan: Plan) -> JSONValue {
        tree(plan, model: nil).jsonValue
    }

    /// The display tree of the plan, or of one model (`null` when there is no such model).
    static func tree(_ plan: Plan, model: String?) -> DisplayTree {
        guard let model else {
            var tree = DisplayTree(capacity: 256 + 256 * plan.models.count + 2 * plan.names.count)
            tree.add(plan)
            return tree
        }
        var tree = DisplayTree(capacity: 256)
        if let found = plan.models[model] { tree.add(found) } else { tree.add(.null) }
        return tree
    }
}
