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
        let buffer = TextBuffer(capacity: model == nil ? 4096 * (plan.models.count + 1) : 4096)
        write(plan, model: model, format: format, into: buffer)
        return buffer.bytes
    }

    /// Writes the same bytes as ``renderUTF8(_:model:format:)`` to `sink` in pieces of
    /// up to 64 KiB, without holding the whole document in memory.
    public static func render(
        _ plan: Plan, model: String? = nil, format: Format, to sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        let buffer = TextBuffer(streamingTo: sink)
        write(plan, model: model, format: format, into: buffer)
        buffer.flush()
    }

    /// Writes the document: JSON straight from the plan, YAML through a display tree
    /// (its writer looks ahead). On a large plan each model's text is written on every
    /// core and the document places it as it is: for JSON a round of models at a time,
    /// for YAML (whose tree holds every text anyway) all in one round.
    private static func write(_ plan: Plan, model: String?, format: Format, into buffer: TextBuffer) {
        let rendered = model == nil && plan.models.count >= ParallelMap.threshold ? renderParts(plan, format) : nil
        switch format {
        case .json:
            var writer = JSONTextWriter(into: buffer)
            add(plan, model: model, rendered: rendered, to: &writer)
            buffer.append(byte: UInt8(ascii: "\n"))
        case .yaml:
            tree(plan, model: model, rendered: rendered).writeYAML(into: buffer, indent: 0)
        }
    }

    /// Adds the plan, or the one model (`null` when there is no such model).
    private static func add<Sink: DisplaySink>(
        _ plan: Plan, model: String?, rendered: RenderedPlanParts?, to sink: inout Sink
    ) {
        guard let model else { return sink.add(plan, rendered: rendered) }
        if let found = plan.models[model] { sink.add(found) } else { sink.add(.null) }
    }

    /// Each model's text as the document nests it under `models`, in sorted ID order,
    /// and the name table's text, written on every core a round at a time (see
    /// ``RenderedPlanParts``).
    private static func renderParts(_ plan: Plan, _ format: Format) -> RenderedPlanParts {
        let ids = plan.models.keys.sorted()
        return RenderedPlanParts(ids: ids, roundSize: format == .json ? 256 : ids.count) { id in
            guard let id else { return renderNames(plan.names, format) }
            let model = plan.models[id]!
            let buffer = TextBuffer(capacity: 8192)
            switch format {
            case .json:
                var writer = JSONTextWriter(into: buffer, depth: 2)
                writer.add(model)
            case .yaml:
                var tree = DisplayTree(capacity: 256)
                tree.add(model)
                tree.writeYAML(into: buffer, indent: 2)
            }
            return buffer.bytes
        }
    }

    /// The name table's text as the document places it after its key (a non-empty
    /// table: every model's ID is in it).
    private static func renderNames(_ names: [String: String], _ format: Format) -> [UInt8] {
        let buffer = TextBuffer(capacity: 64 * names.count + 64)
        switch format {
        case .json:
            var writer = JSONTextWriter(into: buffer, depth: 1)
            writer.add(names) { $0.add(.string($1)) }
        case .yaml:
            var tree = DisplayTree(capacity: 2 * names.count + 2)
            tree.add(names) { $0.add(.string($1)) }
            tree.writeYAML(into: buffer, indent: 1)
        }
        return buffer.bytes
    }

    /// The plan as a JSON value with resolved argv/proxy and redacted keys.
    public static func display(_ plan: Plan) -> JSONValue {
        tree(plan, model: nil).jsonValue
    }

    /// The display tree of the plan, or of one model (`null` when there is no such model).
    static func tree(
        _ plan: Plan, model: String?, rendered: RenderedPlanParts? = nil
    ) -> DisplayTree {
        let tokens = rendered == nil ? 256 * plan.models.count + 2 * plan.names.count : 2 * plan.models.count
        var tree = DisplayTree(capacity: model == nil ? 256 + tokens : 256)
        add(plan, model: model, rendered: rendered, to: &tree)
        return tree
    }
}

/// Parts of a large plan's document written on every core: each model's text (in
/// sorted ID order) and the name table's, in the output format and at the nesting the
/// document places them.
///
/// Models are written a round at a time, when the document reaches the first model of
/// a round, and a round's texts are dropped when the next one is written: a large
/// plan's JSON goes out through the streaming buffer holding one round of texts (about
/// a megabyte on the 1000-model config) instead of all of them, and the next round
/// reuses the memory the last one freed instead of faulting in fresh pages. The name
/// table's text, the largest single piece, is the first job of the first round.
final class RenderedPlanParts {
    /// Models written per round.
    let roundSize: Int

    /// The models' IDs, sorted.
    let ids: [String]
    /// The `names` object's text.
    private(set) var names: [UInt8] = []
    /// Writes the text of the model with this ID, or the name table's for nil.
    private let render: @Sendable (String?) -> [UInt8]
    private var round: [[UInt8]] = []
    private var roundStart = 0

    init(ids: [String], roundSize: Int, render: @escaping @Sendable (String?) -> [UInt8]) {
        self.ids = ids
        self.roundSize = max(1, roundSize)
        self.render = render
        writeRound(startingAt: 0)
    }

    /// The text of the model at `index` of ``ids``.
    func text(at index: Int) -> [UInt8] {
        if index < roundStart || index >= roundStart + round.count { writeRound(startingAt: index) }
        return round[index - roundStart]
    }

    private func writeRound(startingAt start: Int) {
        round = []
        let count = min(roundSize, ids.count - start)
        let withNames = start == 0
        let ids = self.ids
        let render = self.render
        var texts = ParallelMap.map(count + (withNames ? 1 : 0), threshold: 2) { job in
            if withNames { return render(job == 0 ? nil : ids[start + job - 1]) }
            return render(ids[start + job])
        }
        if withNames { names = texts.removeFirst() }
        round = texts
        roundStart = start
    }
}
