import CLibYAML
import Dispatch

/// Builds the ``YAMLNode`` tree of one file from libyaml's event stream.
///
/// libyaml does the tokenising; this composer does the rest, so that every node keeps
/// its span: it resolves anchors and aliases, applies `<<` merge keys (explicit keys
/// win over merged ones), and reports duplicate keys at their second occurrence.
/// It never stops at the first problem unless libyaml itself cannot go on.
public enum YAMLComposer {
    /// The result of composing one file.
    public struct Result: Sendable {
        /// The document's root node, or nil if the file holds no document or did not parse.
        public var root: YAMLNode?
        /// Everything found wrong while composing.
        public var diagnostics: [Diagnostic]
    }

    /// Files at least this large are parsed on another thread while this one composes.
    static let pipelineThreshold = 64 * 1024

    /// Whether `source` is large enough, and the machine has the cores, to parse it on
    /// a second thread.
    static func pipelines(_ source: SourceFile) -> Bool {
        source.bytes.count >= pipelineThreshold && ParallelMap.cores > 1
    }

    /// Composes the first document of `source`.
    public static func compose(_ source: SourceFile) -> Result {
        compose(source, pipelined: pipelines(source))
    }

    /// Composes `source` and hands each entry of the mapping under the top-level key
    /// `section` to `consumer` as soon as that entry is complete, while the rest of the
    /// file is still being parsed. The entries are handed over as written: before
    /// `<<` merges and duplicate keys of that mapping are resolved.
    ///
    /// A large file whose section can be cut into pieces (``SectionSplit``) is parsed
    /// and composed piece by piece on every core, each piece's entries going to a
    /// consumer of its own; the consumers are then absorbed into `consumer`.
    static func compose<Consumer: SectionEntryConsumer>(
        _ source: SourceFile, section: String, into consumer: inout Consumer
    ) -> Result {
        let pipelined = pipelines(source)
        if pipelined,
            let result = composeSplit(
                source, section: section, pieces: ParallelMap.cores * piecesPerCore - 1, into: &consumer)
        {
            return result
        }
        return compose(source, pipelined: pipelined, section: section) { consumer.add($0) }
    }

    /// Composes `source`, parsing on another thread when `pipelined`.
    static func compose(
        _ source: SourceFile, pipelined: Bool, section: String? = nil, onEntry: (YAMLEntry) -> Void = { _ in }
    ) -> Result {
        var state = ComposerState(file: source.name, section: section)
        if pipelined {
            // On a large file libyaml's tokenising and the composing (with the models
            // checked ahead) take about as long as each other, so they run side by side:
            // the parsing thread parses, copies each event and its texts out of libyaml and
            // frees libyaml's, and hands the copies over in batches; this thread makes the
            // strings and composes. Batches go round: the composer gives each back once it
            // is done with it, and the parser runs at most eight batches ahead, so a large
            // file touches a few buffers instead of fresh ones for every 1024 events.
            let channel = BatchChannel<EventBatch>(recycleLimit: 8)
            DispatchQueue.global().async {
                var batch = channel.recycled(orMake: EventBatch.reserved)
                parse(source, into: &batch) { full in
                    channel.send([full])
                    full = channel.recycled(orMake: EventBatch.reserved)
                }
                channel.send([batch])
                channel.finish()
            }
            while var batches = channel.receive() {
                for index in batches.indices {
                    var batch = batches[index]
                    batches[index] = EventBatch()
                    state.handle(batch, onEntry)
                    batch.removeAll()
                    channel.giveBack(batch)
                }
            }
        } else {
            var batch = EventBatch.reserved()
            parse(source, into: &batch) { full in
                state.handle(full, onEntry)
                full.removeAll()
            }
            state.handle(batch, onEntry)
        }
        return Result(root: state.root, diagnostics: state.diagnostics)
    }

    /// Runs libyaml over `source`, copying each event into `batch` (libyaml's own is
    /// freed at once) and handing a full batch to `deliver`, which leaves an empty one
    /// in its place. The last events, and the problem when libyaml stops, stay in
    /// `batch` for the caller.
    private static func parse(
        _ source: SourceFile, into batch: inout EventBatch, deliver: (inout EventBatch) -> Void
    ) {
        source.bytes.withUnsafeBufferPointer { parse($0, file: source.name, into: &batch, deliver: deliver) }
    }

    /// The same for `bytes`, a file's bytes or a run of its lines, followed by `suffix`
    /// when there is one (read after `bytes` without copying either); positions count
    /// from the start of `bytes`. A batch is full at `batchSize` events.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, then suffix: UnsafeBufferPointer<UInt8>? = nil, file: String,
        into batch: inout EventBatch, batchSize: Int = EventBatch.capacity, deliver: (inout EventBatch) -> Void
    ) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            batch.failure = Diagnostic(.yamlSyntax, "libyaml could not be initialised", at: .file(file))
            return
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        // libyaml keeps the handler's data pointer until the parser is deleted: it must
        // not be a temporary.
        let runs = UnsafeMutablePointer<ConsecutiveRuns>.allocate(capacity: 1)
        defer { runs.deallocate() }
        if let suffix {
            runs.initialize(to: ConsecutiveRuns(first: bytes, second: suffix))
            yaml_parser_set_input(&parser, ConsecutiveRuns.read, runs)
        } else {
            let base = bytes.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
            yaml_parser_set_input_string(&parser, base, bytes.count)
        }
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                batch.failure = parseError(parser, file: file)
                return
            }
            let done = event.type == YAML_STREAM_END_EVENT
            if batch.events.count >= batchSize { deliver(&batch) }
            batch.append(event)
            yaml_event_delete(&event)
            if done { return }
        }
    }

    /// Two runs of bytes libyaml reads as one input, through ``read``.
    private struct ConsecutiveRuns {
        let first: UnsafeBufferPointer<UInt8>
        let second: UnsafeBufferPointer<UInt8>
        var offset = 0

        /// libyaml's read handler: copies the next bytes of `data` (a `ConsecutiveRuns`)
        /// into `buffer`; none at the end.
        static let read: @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int, UnsafeMutablePointer<Int>?
        ) -> Int32 = { data, buffer, size, sizeRead in
            guard let runs = data?.assumingMemoryBound(to: ConsecutiveRuns.self), let buffer, let sizeRead else {
                return 0
            }
            let (run, start) =
                runs.pointee.offset < runs.pointee.first.count
                ? (runs.pointee.first, runs.pointee.offset)
                : (runs.pointee.second, runs.pointee.offset - runs.pointee.first.count)
            let count = min(size, max(0, run.count - start))
            if count > 0, let base = run.baseAddress { buffer.update(from: base + start, count: count) }
            runs.pointee.offset += count
            sizeRead.pointee = count
            return 1
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

/// Takes the entries of a top-level section as they are composed (``ModelPrecheck``).
protocol SectionEntryConsumer: Sendable {
    init()
    /// One complete entry of the section, as written.
    mutating func add(_ entry: YAMLEntry)
    /// Takes over what `other`, fed other entries of the same file, holds.
    mutating func absorb(_ other: Self)
}

/// The composer's working state while it consumes events.
struct ComposerState {
    /// An open collection. A class, so appending to it does not copy what it holds.
    final class Frame {
        let isMapping: Bool
        let start: Span
        let tag: String?
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [YAMLEntry] = []
        var pendingKey: YAMLNode?

        init(isMapping: Bool, start: Span, tag: String?, anchor: String?) {
            self.isMapping = isMapping
            self.start = start
            self.tag = tag
            self.anchor = anchor
        }
    }

    let file: String
    let fileID: FileNames.ID
    /// The top-level key whose mapping's entries are handed out as they complete.
    let section: String?
    var stack: [Frame] = []
    var anchors: [String: YAMLNode] = [:]
    var root: YAMLNode?
    var documents = 0
    var diagnostics: [Diagnostic] = []

    init(file: String, section: String?) {
        self.file = file
        self.fileID = FileNames.id(for: file)
        self.section = section
    }

    func span(_ event: YAMLEvent) -> Span {
        Span(
            fileID: fileID,
            start: SourceLocation(line: Int(event.startLine) + 1, column: Int(event.startColumn) + 1),
            end: SourceLocation(line: Int(event.endLine) + 1, column: Int(event.endColumn) + 1))
    }

    /// Composes a batch's events in order, then its parse failure if it has one.
    mutating func handle(_ batch: EventBatch, _ onEntry: (YAMLEntry) -> Void) {
        handle(batch, range: batch.events.indices, onEntry)
        if let failure = batch.failure { diagnostics.append(failure) }
    }

    /// Composes `range` of a batch's events.
    mutating func handle(_ batch: EventBatch, range: Range<Int>, _ onEntry: (YAMLEntry) -> Void) {
        batch.bytes.withUnsafeBufferPointer { bytes in
            for index in range { handle(batch.events[index], bytes, onEntry) }
        }
    }

    mutating func handle(_ event: YAMLEvent, _ bytes: UnsafeBufferPointer<UInt8>, _ onEntry: (YAMLEntry) -> Void) {
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
            let node = YAMLNode(
                .scalar(event.text.string(in: bytes), event.style), span: span(event), tag: tag(event, bytes))
            if let anchor = event.anchor { anchors[anchor.string(in: bytes)] = node }
            add(node, onEntry)
        case .alias:
            let site = span(event)
            let name = event.anchor?.string(in: bytes) ?? ""
            if let target = anchors[name] {
                add(target.referenced(from: site), onEntry)
            } else {
                diagnostics.append(
                    Diagnostic(
                        .undefinedAlias, "alias `*\(name)` refers to no anchor", at: site,
                        help: "define `&\(name)` on a node above this alias"))
            }
        case .sequenceStart, .mappingStart:
            stack.append(
                Frame(
                    isMapping: event.kind == .mappingStart, start: span(event), tag: tag(event, bytes),
                    anchor: event.anchor?.string(in: bytes)))
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
            if let anchor = frame.anchor { anchors[anchor] = node }
            add(node, onEntry)
        case .streamEnd, .other:
            break
        }
    }

    /// The event's tag, resolved (`!!str` → `tag:yaml.org,2002:str`).
    func tag(_ event: YAMLEvent, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        event.tag.map { YAMLEvent.resolveTag($0.string(in: bytes)) }
    }

    /// A collection's span: from its start to the end of its last child (flow
    /// collections end at their closing bracket).
    func closing(_ start: Span, _ last: Span, _ endEvent: Span) -> Span {
        if endEvent.start.line == last.end.line || endEvent.end < last.end {
            return start.with(start: start.start, end: max(last.end, endEvent.end))
        }
        return start.with(start: start.start, end: last.end)
    }

    mutating func add(_ node: YAMLNode, _ onEntry: (YAMLEntry) -> Void) {
        guard let top = stack.last else {
            if documents <= 1, root == nil { root = node }
            return
        }
        if !top.isMapping {
            top.items.append(node)
        } else if let key = top.pendingKey {
            let entry = YAMLEntry(key: key, value: node)
            top.entries.append(entry)
            top.pendingKey = nil
            if let section, stack.count == 2, documents <= 1, stack[0].isMapping,
                stack[0].pendingKey?.scalar == section
            {
                onEntry(entry)
            }
        } else {
            top.pendingKey = node
        }
    }

    /// Applies `<<` merges and reports duplicate and non-scalar keys.
    mutating func resolveMerges(_ entries: [YAMLEntry]) -> [YAMLEntry] {
        if entries.count <= 16, Self.plainUniqueKeys(entries) { return entries }
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

    /// True when every key of a small mapping is a scalar other than `<<` and no key
    /// repeats: the common case, which needs no merging. Keys are compared in place.
    static func plainUniqueKeys(_ entries: [YAMLEntry]) -> Bool {
        for index in entries.indices {
            guard case .scalar(let name, _) = entries[index].key.kind, name != "<<" else { return false }
            for earlier in 0..<index {
                if case .scalar(let other, _) = entries[earlier].key.kind, other.utf8.count == name.utf8.count,
                    other == name
                {
                    return false
                }
            }
        }
        return true
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
