/// Parsing and composing a large file's section piece by piece on every core.
///
/// libyaml tokenises a file from start to end on one thread; on a large config that
/// thread is the longest part of the check. When ``SectionSplit`` finds where the
/// section's entries can be cut, each piece is parsed with its own libyaml parser and
/// composed, and its entries checked ahead, on whichever core is free, while the
/// rest of the file after the section and its start are parsed as two more jobs (the
/// rest also composed there when it holds no anchor or alias). This thread then
/// composes the start of the file, puts the pieces' entries under the section's key
/// and composes the rest, giving the same nodes, spans and diagnostics as parsing the
/// file whole.
///
/// A piece must parse on its own, without a problem, as one block mapping at the
/// entries' indentation, with no anchor or alias in it (an alias may name an anchor of
/// another piece). When one does not, nothing of the pieces is kept and the file is
/// parsed whole; so is a file whose start or rest does not parse as expected.
extension YAMLComposer {
    /// Pieces per core: enough that a slow piece does not leave a core idle at the end.
    static let piecesPerCore = 4

    /// What one piece's job produced: its events (positions in the file's lines), its
    /// entries as written, what composing them reported and what the consumer took.
    fileprivate struct PieceOutcome<Consumer: SectionEntryConsumer>: Sendable {
        var batch: EventBatch
        var entries: [YAMLEntry] = []
        var diagnostics: [Diagnostic] = []
        var consumer = Consumer()
        /// Whether `entries` holds the mapping's entries (else only `batch` is set).
        var composed = false
    }

    /// `source` composed with its section cut into at most `pieces` pieces, or nil when
    /// it cannot be cut or a piece does not stand on its own (nothing is then handed
    /// to `consumer`).
    static func composeSplit<Consumer: SectionEntryConsumer>(
        _ source: SourceFile, section: String, pieces count: Int, into consumer: inout Consumer
    ) -> Result? {
        guard
            let split = source.bytes.withUnsafeBufferPointer({
                SectionSplit.find(in: $0, section: section, pieces: count)
            })
        else { return nil }
        let file = source.name
        // Job 0 parses the rest of the file, and composes it when it is one plain
        // document; job i in 1...pieces parses and composes piece i - 1; the last job
        // parses the start of the file (composed afterwards, in order, on this thread).
        let pieceJobs = 1...split.pieces.count
        let headJob = split.pieces.count + 1
        let outcomes = ParallelMap.map(headJob + 1, threshold: 2) { job -> PieceOutcome<Consumer>? in
            if job == headJob { return PieceOutcome(batch: parse(source, split.head, sentinel: nil)) }
            let isRest = job == 0
            let piece = isRest ? split.tail : split.pieces[job - 1]
            // A piece before another ends with a line holding a key at the entries'
            // indentation, as in the file, so that what runs to the next entry (a block
            // scalar, the collections closed there) ends at the same place.
            let sentinel = !isRest && job < split.pieces.count ? split.indent : nil
            var outcome = PieceOutcome<Consumer>(batch: parse(source, piece, sentinel: sentinel))
            if isRest && piece.bytes.isEmpty { return outcome }
            guard
                let interior = entriesOfPiece(
                    outcome.batch, firstLine: piece.firstLine, indent: isRest ? 0 : split.indent,
                    sentinel: sentinel != nil)
            else {
                // The rest is then composed on the calling thread, after the section.
                return isRest ? outcome : nil
            }
            // The mapping is opened and its entries composed, but not closed. In the rest
            // of the file, a second `models` key hands out its entries as it would whole.
            var state = ComposerState(file: file, section: isRest ? section : nil)
            var consumer = Consumer()
            state.handle(outcome.batch, range: (interior.lowerBound - 1)..<interior.upperBound) { consumer.add($0) }
            outcome.entries = state.openEntries
            if !isRest {
                for entry in outcome.entries { consumer.add(entry) }
            }
            outcome.consumer = consumer
            outcome.diagnostics = state.diagnostics
            outcome.composed = true
            return outcome
        }
        guard outcomes.allSatisfy({ $0 != nil }), let rest = outcomes[0], let head = outcomes[headJob]?.batch,
            let headEnd = keyOfEmptySection(head, section: section), restIsMapping(rest.batch, of: split.tail)
        else { return nil }

        var state = ComposerState(file: file, section: section)
        state.handle(head, range: 0..<headEnd) { consumer.add($0) }
        // The section's mapping opens where its first piece's does and closes where its
        // last piece's does (at the next key of the file, or at its end).
        let first = outcomes[pieceJobs.lowerBound]!.batch
        let last = outcomes[pieceJobs.upperBound]!.batch
        state.handle(first, range: 2..<3) { _ in }
        for job in pieceJobs {
            state.take(outcomes[job]!, into: &consumer)
        }
        let sectionEnd = last.events.count - 3
        state.handle(last, range: sectionEnd..<(sectionEnd + 1)) { _ in }
        let tail = rest.batch
        if rest.composed {
            state.take(rest, into: &consumer)
            state.handle(tail, range: (tail.events.count - 3)..<tail.events.count) { _ in }
        } else if tail.events.count > 2 {
            // A second `models` key after the section hands out its entries too.
            state.handle(tail, range: 3..<tail.events.count) { consumer.add($0) }
        } else {
            // Nothing after the section: the file's mapping ends where the section's does.
            state.handle(last, range: sectionEnd..<last.events.count) { _ in }
        }
        return Result(root: state.root, diagnostics: state.diagnostics)
    }

    /// Parses one piece of `source` into a single batch, positions in the file's lines;
    /// with a `sentinel` indentation, followed by the line `x:` at that indentation.
    private static func parse(_ source: SourceFile, _ piece: SectionSplit.Piece, sentinel: Int?) -> EventBatch {
        var batch = EventBatch()
        // About one event per 14 bytes on a typical config; room for more, so that the
        // arrays rarely grow (and copy) while libyaml runs.
        batch.events.reserveCapacity(piece.bytes.count / 8 + 16)
        batch.bytes.reserveCapacity(piece.bytes.count)
        // The sentinel line is read after the piece's bytes, which are not copied.
        let line = sentinel.map { Array(repeating: UInt8.space, count: $0) + Self.sentinelKey }
        source.bytes.withUnsafeBufferPointer { bytes in
            let text = UnsafeBufferPointer(rebasing: bytes[piece.bytes])
            guard let line else {
                return parse(text, file: source.name, into: &batch, batchSize: .max) { _ in }
            }
            line.withUnsafeBufferPointer { line in
                parse(text, then: line, file: source.name, into: &batch, batchSize: .max) { _ in }
            }
        }
        batch.shiftLines(by: piece.firstLine)
        return batch
    }

    /// The key of the line that ends a piece before another (see `parse`).
    private static let sentinelKey = Array("x:\n".utf8)

    /// The events inside a piece's mapping, when the piece parsed as one block mapping
    /// at `indent` starting on its first line, with no anchor, alias or second document
    /// (and, with a `sentinel`, ending with the sentinel's key and empty value, left out).
    private static func entriesOfPiece(
        _ batch: EventBatch, firstLine: Int, indent: Int, sentinel: Bool
    ) -> Range<Int>? {
        let events = batch.events
        guard batch.failure == nil, events.count >= (sentinel ? 8 : 6), events[0].kind == .other,
            events[1].kind == .documentStart,
            events[2].kind == .mappingStart, events[2].tag == nil, events[2].anchor == nil,
            events[2].startColumn == indent, events[2].startLine == firstLine,
            events[events.count - 3].kind == .collectionEnd, events[events.count - 2].kind == .other,
            events[events.count - 1].kind == .streamEnd
        else { return nil }
        var end = events.count - 3
        if sentinel {
            let key = events[end - 2]
            let value = events[end - 1]
            guard key.kind == .scalar, key.style == .plain, key.startColumn == indent, key.text.count == 1,
                key.tag == nil, value.kind == .scalar, value.text.count == 0, value.tag == nil
            else { return nil }
            end -= 2
        }
        let interior = 3..<end
        for index in interior {
            let event = events[index]
            if event.anchor != nil || event.kind == .alias || event.kind == .documentStart { return nil }
        }
        return interior
    }

    /// For the start of the file, which ends with the section's key and no value: how
    /// many of its events come before that empty value, when it parsed as one document
    /// whose mapping at column 0 holds the key last.
    private static func keyOfEmptySection(_ head: EventBatch, section: String) -> Int? {
        let events = head.events
        let count = events.count
        guard head.failure == nil, count >= 7, events[0].kind == .other, events[1].kind == .documentStart,
            events[2].kind == .mappingStart, events[2].startColumn == 0
        else { return nil }
        let key = events[count - 5]
        let value = events[count - 4]
        guard key.kind == .scalar, key.style == .plain, key.tag == nil, key.anchor == nil, key.startColumn == 0,
            value.kind == .scalar, value.style == .plain, value.text.count == 0, value.tag == nil,
            value.anchor == nil, events[count - 3].kind == .collectionEnd, events[count - 2].kind == .other,
            events[count - 1].kind == .streamEnd,
            !events[2..<count].contains(where: { $0.kind == .documentStart })
        else { return nil }
        let name = head.bytes.withUnsafeBufferPointer { key.text.string(in: $0) }
        return name == section ? count - 4 : nil
    }

    /// Whether the rest of the file parsed as nothing, or as a document whose mapping
    /// starts at column 0 of its first line.
    private static func restIsMapping(_ tail: EventBatch, of piece: SectionSplit.Piece) -> Bool {
        let events = tail.events
        if piece.bytes.isEmpty { return tail.failure == nil && events.count == 2 }
        return tail.failure == nil && events.count >= 6 && events[0].kind == .other
            && events[1].kind == .documentStart && events[2].kind == .mappingStart && events[2].startColumn == 0
            && events[2].startLine == piece.firstLine && events[2].tag == nil && events[2].anchor == nil
    }
}

extension ComposerState {
    /// Adds what a piece's job composed to the innermost open mapping, and its
    /// diagnostics and consumer to this composer's and `consumer`.
    fileprivate mutating func take<Consumer: SectionEntryConsumer>(
        _ outcome: YAMLComposer.PieceOutcome<Consumer>, into consumer: inout Consumer
    ) {
        appendOpenEntries(outcome.entries)
        diagnostics += outcome.diagnostics
        consumer.absorb(outcome.consumer)
    }

    /// The entries of the innermost open mapping, as written.
    var openEntries: [YAMLEntry] { stack.last?.entries ?? [] }

    /// Adds entries composed elsewhere to the innermost open mapping, as if its own.
    mutating func appendOpenEntries(_ entries: [YAMLEntry]) {
        stack.last?.entries.append(contentsOf: entries)
    }
}
