import CLibYAML

/// The syntax stage: builds the ``YAMLNode`` tree of one file from libyaml's event stream.
///
/// libyaml does the tokenising; this composer does the rest, so that every node keeps
/// its span: it resolves anchors and aliases, applies `<<` merge keys (explicit keys
/// win over merged ones), and reports duplicate keys at their second occurrence.
/// It never stops at the first problem unless libyaml itself cannot go on, or the
/// document goes past one of the limits below (then there is no tree).
public enum YAMLComposer {
    /// The result of composing one file.
    public struct Result: Sendable {
        /// The document's root node, or nil if the file holds no document, did not
        /// parse, or went past a limit.
        public var root: YAMLNode?
        /// Everything found wrong while composing.
        public var diagnostics: [Diagnostic]
    }

    /// The deepest nesting of sequences and mappings a document may have. Real configs
    /// nest fewer than ten levels; the later stages walk the tree recursively, so the
    /// limit also bounds their stack.
    public static let maximumDepth = 128

    /// The most nodes the aliases of one document may repeat. Each alias stands for a
    /// copy of what its anchor holds, so a "billion laughs" file of ten nested levels
    /// stands for billions; real configs repeat a few hundred nodes through `<<` merges.
    public static let maximumAliasedNodes = 250_000

    /// The most scalar bytes the aliases of one document may repeat.
    public static let maximumAliasedBytes = 16 << 20

    /// True for the codes after which a file has no usable tree: libyaml gave up, or a
    /// limit stopped the composer.
    public static func stopsCompile(_ code: DiagnosticCode) -> Bool {
        code == .yamlSyntax || code == .nestingTooDeep || code == .aliasExpansionTooLarge
    }

    /// Composes the first document of `source`.
    public static func compose(_ source: SourceFile) -> Result {
        var state = ComposerState(file: source.name)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            let failure = Diagnostic(.yamlSyntax, "libyaml could not be initialised", at: .file(source.name))
            return Result(root: nil, diagnostics: [failure])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        return source.bytes.withUnsafeBufferPointer { bytes in
            // libyaml reads the bytes in place; it needs a non-null pointer even for none.
            let base = bytes.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
            yaml_parser_set_input_string(&parser, base, bytes.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    state.diagnostics.append(parseError(parser, file: source.name))
                    return Result(root: state.root, diagnostics: state.diagnostics)
                }
                let copied = YAMLEvent(event)
                yaml_event_delete(&event)
                state.handle(copied)
                if state.stopped { return Result(root: nil, diagnostics: state.diagnostics) }
                if copied.kind == .streamEnd { return Result(root: state.root, diagnostics: state.diagnostics) }
            }
        }
    }

    private static func parseError(_ parser: yaml_parser_t, file: String) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown YAML error"
        let problemSpan = Span.point(
            file, line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1)
        var related: [RelatedSpan] = []
        if let context = parser.context.map({ String(cString: $0) }) {
            let contextSpan = Span.point(
                file, line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
            related.append(RelatedSpan(contextSpan, context))
        }
        return Diagnostic(
            .yamlSyntax, "YAML syntax error: \(problem)", at: problemSpan, related: related,
            help: "fix the YAML at this position; an indentation mistake or an unquoted `:` or `#` is the usual cause")
    }
}

/// The composer's working state while it consumes events.
struct ComposerState {
    /// An open collection. A class, so appending to it does not copy what it holds.
    final class Frame {
        let isMapping: Bool
        let start: Span
        let tag: String?
        let anchor: String?
        /// ``ComposerState/expandedNodes`` and ``ComposerState/expandedBytes`` when the
        /// collection opened (what it stands for is the growth since).
        let nodesBefore: Int
        let bytesBefore: Int
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var pendingKey: YAMLNode?

        init(isMapping: Bool, start: Span, tag: String?, anchor: String?, nodesBefore: Int, bytesBefore: Int) {
            self.isMapping = isMapping
            self.start = start
            self.tag = tag
            self.anchor = anchor
            self.nodesBefore = nodesBefore
            self.bytesBefore = bytesBefore
        }
    }

    /// An anchored node and what an alias of it repeats.
    struct Anchor {
        var node: YAMLNode
        var nodes: Int
        var bytes: Int
    }

    let file: String
    var stack: [Frame] = []
    var anchors: [String: Anchor] = [:]
    var root: YAMLNode?
    var documents = 0
    var diagnostics: [Diagnostic] = []
    /// The nodes the document stands for so far, each alias counted as what it repeats.
    var expandedNodes = 0
    /// Scalar bytes the document stands for so far, each alias counted as what it repeats.
    var expandedBytes = 0
    /// The nodes and scalar bytes aliases repeated so far.
    var aliasedNodes = 0
    var aliasedBytes = 0
    /// A limit was passed: the composer stops and the document has no tree.
    var stopped = false

    init(file: String) {
        self.file = file
    }

    func span(_ event: YAMLEvent) -> Span {
        Span(file: file, start: event.start, end: event.end)
    }

    /// Composes one event.
    mutating func handle(_ event: YAMLEvent) {
        switch event.kind {
        case .documentStart:
            documents += 1
            if documents == 2 {
                diagnostics.append(
                    Diagnostic(
                        .multipleDocuments, "the file holds more than one YAML document; only the first is read",
                        at: span(event), help: "remove the `---` and everything after it, or split the file"))
            }
        case .scalar:
            let node = YAMLNode(.scalar(event.text, event.style), span: span(event), tag: event.tag)
            expandedNodes += 1
            expandedBytes += event.text.utf8.count
            if let anchor = event.anchor {
                anchors[anchor] = Anchor(node: node, nodes: 1, bytes: event.text.utf8.count)
            }
            add(node)
        case .alias:
            let site = span(event)
            let name = event.anchor ?? ""
            if let target = anchors[name] {
                expandedNodes += target.nodes
                expandedBytes += target.bytes
                aliasedNodes += target.nodes
                aliasedBytes += target.bytes
                if aliasedNodes > YAMLComposer.maximumAliasedNodes || aliasedBytes > YAMLComposer.maximumAliasedBytes {
                    return stop(
                        Diagnostic(
                            .aliasExpansionTooLarge,
                            "the aliases up to here repeat more than \(YAMLComposer.maximumAliasedNodes) nodes "
                                + "or \(YAMLComposer.maximumAliasedBytes >> 20) MiB of text",
                            at: site,
                            help:
                                "aliases that repeat aliases grow exponentially; write the repeated values out or use fewer levels"
                        ))
                }
                add(target.node.referenced(from: site))
            } else {
                diagnostics.append(
                    Diagnostic(
                        .undefinedAlias, "alias `*\(name)` refers to no anchor", at: site,
                        help: "define `&\(name)` on a node above this alias"))
            }
        case .sequenceStart, .mappingStart:
            guard stack.count < YAMLComposer.maximumDepth else {
                return stop(
                    Diagnostic(
                        .nestingTooDeep,
                        "lists and mappings are nested deeper than \(YAMLComposer.maximumDepth) levels here",
                        at: span(event), help: "a config nests a few levels; look for unclosed `[` or `{`"))
            }
            stack.append(
                Frame(
                    isMapping: event.kind == .mappingStart, start: span(event), tag: event.tag, anchor: event.anchor,
                    nodesBefore: expandedNodes, bytesBefore: expandedBytes))
        case .collectionEnd:
            guard let frame = stack.popLast() else { return }
            let endSpan = span(event)
            let node: YAMLNode
            if frame.isMapping {
                let last = frame.entries.last.map { $0.value.reference ?? $0.value.span }
                let entries = resolveMerges(frame.entries)
                frame.entries = []
                node = YAMLNode(.mapping(entries), span: closing(frame.start, last ?? endSpan, endSpan), tag: frame.tag)
            } else {
                let end = frame.items.last.map { $0.reference ?? $0.span } ?? endSpan
                let items = frame.items
                frame.items = []
                node = YAMLNode(.sequence(items), span: closing(frame.start, end, endSpan), tag: frame.tag)
            }
            expandedNodes += 1
            if let anchor = frame.anchor {
                anchors[anchor] = Anchor(
                    node: node, nodes: expandedNodes - frame.nodesBefore, bytes: expandedBytes - frame.bytesBefore)
            }
            add(node)
        case .streamEnd, .other:
            break
        }
    }

    /// Reports why composing stops here, and stops.
    private mutating func stop(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
        stopped = true
        // The open collections are dropped one by one, so that no deep tree is freed
        // recursively.
        while let frame = stack.popLast() {
            frame.items.removeAll()
            frame.entries.removeAll()
            frame.pendingKey = nil
        }
        anchors.removeAll()
        root = nil
    }

    /// A collection's span: from its start to the end of its last child (flow
    /// collections end at their closing bracket).
    func closing(_ start: Span, _ last: Span, _ endEvent: Span) -> Span {
        if endEvent.start.line == last.end.line || endEvent.end < last.end {
            return start.with(start: start.start, end: max(last.end, endEvent.end))
        }
        return start.with(start: start.start, end: last.end)
    }

    mutating func add(_ node: YAMLNode) {
        guard let top = stack.last else {
            if documents <= 1, root == nil { root = node }
            return
        }
        if !top.isMapping {
            top.items.append(node)
        } else if let key = top.pendingKey {
            top.entries.append(YAMLEntry(key: key, value: node))
            top.pendingKey = nil
        } else {
            top.pendingKey = node
        }
    }

    /// Applies `<<` merges and reports duplicate and non-scalar keys.
    mutating func resolveMerges(_ entries: [YAMLEntry]) -> [YAMLEntry] {
        var explicit: [String: YAMLEntry] = [:]
        var hasMerge = false
        for entry in entries {
            guard case .scalar(let name, let style) = entry.key.kind else {
                diagnostics.append(
                    Diagnostic(
                        .complexKey, "a mapping key must be a plain string, not \(entry.key.kindDescription)",
                        at: entry.key.span, help: "write the key as a plain or quoted string"))
                continue
            }
            if name == "<<" && style == .plain && entry.key.tag == nil {
                hasMerge = true
                continue
            }
            if let first = explicit[name] {
                if entry.key.reference == nil || first.key.reference == nil
                    || entry.key.reference != first.key.reference
                {
                    diagnostics.append(
                        Diagnostic(
                            .duplicateKey, "duplicate key `\(name)`", at: entry.key.span,
                            related: [RelatedSpan(first.key.span, "first defined here")],
                            help: "a key may appear once per mapping; remove one of them or merge their values"))
                }
                continue
            }
            explicit[name] = entry
        }
        guard hasMerge || explicit.count != entries.count else { return entries }

        var result: [YAMLEntry] = []
        var seen = Set<String>()
        for entry in entries {
            guard case .scalar(let name, let style) = entry.key.kind else { continue }
            if name == "<<" && style == .plain && entry.key.tag == nil {
                for source in mergeSources(entry) {
                    for merged in source.entries ?? [] where explicit[merged.name] == nil && !seen.contains(merged.name)
                    {
                        seen.insert(merged.name)
                        result.append(
                            YAMLEntry(
                                key: merged.key.referenced(from: entry.key.span),
                                value: merged.value.referenced(from: entry.key.span)))
                    }
                }
                continue
            }
            guard !seen.contains(name) else { continue }
            seen.insert(name)
            result.append(explicit[name] ?? entry)
        }
        return result
    }

    /// The mappings a `<<` entry merges, in precedence order; reports bad values.
    mutating func mergeSources(_ entry: YAMLEntry) -> [YAMLNode] {
        switch entry.value.kind {
        case .mapping:
            return [entry.value]
        case .sequence(let items):
            var sources: [YAMLNode] = []
            for item in items {
                if case .mapping = item.kind {
                    sources.append(item)
                } else {
                    diagnostics.append(
                        Diagnostic(
                            .invalidMerge, "`<<` can only merge mappings, but this is \(item.kindDescription)",
                            at: item.reference ?? item.span, help: "list only aliases of mappings after `<<`"))
                }
            }
            return sources
        case .scalar:
            if entry.value.isNull { return [] }
            diagnostics.append(
                Diagnostic(
                    .invalidMerge, "`<<` can only merge mappings, but this is \(entry.value.kindDescription)",
                    at: entry.value.reference ?? entry.value.span,
                    help: "write `<<: *anchor` where `&anchor` names a mapping"))
            return []
        }
    }
}
