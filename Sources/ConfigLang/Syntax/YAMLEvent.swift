import CLibYAML

/// libyaml's events, in order, with the bytes of their texts; a parse failure ends the
/// stream. Batches go from the parsing thread to the composing thread, or hold a whole
/// piece of a split file (``YAMLComposer``).
///
/// An event holds no reference: its scalar text, tag and anchor are ranges of
/// ``bytes``. Copying events in and out of a batch then costs no retain or release,
/// and the strings are made on the composing thread, which has time to spare while
/// libyaml tokenises on the parsing thread.
struct EventBatch: Sendable {
    var events: [YAMLEvent] = []
    /// The texts of the events, one after another.
    var bytes: [UInt8] = []
    var failure: Diagnostic?

    /// Events per batch: enough that handing over costs little, few enough that the
    /// composer starts early.
    static let capacity = 1024

    /// An empty batch with room for a full one.
    static func reserved() -> EventBatch {
        var batch = EventBatch()
        batch.events.reserveCapacity(capacity)
        batch.bytes.reserveCapacity(32 * capacity)
        return batch
    }

    /// Moves every event down by `lines` lines (for a piece parsed apart from the
    /// start of its file).
    mutating func shiftLines(by lines: Int) {
        let offset = Int32(truncatingIfNeeded: lines)
        guard offset != 0 else { return }
        for index in events.indices {
            events[index].startLine += offset
            events[index].endLine += offset
        }
    }

    /// Copies libyaml's `event` (which stays the caller's to free) into the batch.
    mutating func append(_ event: yaml_event_t) {
        var copied = YAMLEvent(
            kind: .other, startLine: Int32(truncatingIfNeeded: event.start_mark.line),
            startColumn: Int32(truncatingIfNeeded: event.start_mark.column),
            endLine: Int32(truncatingIfNeeded: event.end_mark.line),
            endColumn: Int32(truncatingIfNeeded: event.end_mark.column))
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            copied.kind = .documentStart
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            copied.kind = .scalar
            copied.style =
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            copied.text = store(scalar.value, count: Int(scalar.length))
            copied.tag = store(scalar.tag)
            copied.anchor = store(scalar.anchor)
        case YAML_ALIAS_EVENT:
            copied.kind = .alias
            copied.anchor = store(event.data.alias.anchor) ?? TextRange(start: 0, count: 0)
        case YAML_SEQUENCE_START_EVENT:
            copied.kind = .sequenceStart
            copied.tag = store(event.data.sequence_start.tag)
            copied.anchor = store(event.data.sequence_start.anchor)
        case YAML_MAPPING_START_EVENT:
            copied.kind = .mappingStart
            copied.tag = store(event.data.mapping_start.tag)
            copied.anchor = store(event.data.mapping_start.anchor)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            copied.kind = .collectionEnd
        case YAML_STREAM_END_EVENT:
            copied.kind = .streamEnd
        default:
            break
        }
        events.append(copied)
    }

    /// Empties the batch, keeping its memory.
    mutating func removeAll() {
        events.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        failure = nil
    }

    private mutating func store(_ pointer: UnsafeMutablePointer<yaml_char_t>?, count: Int) -> TextRange {
        let start = bytes.count
        if let pointer, count > 0 { bytes.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count)) }
        return TextRange(start: Int32(truncatingIfNeeded: start), count: Int32(truncatingIfNeeded: count))
    }

    /// A NUL-terminated string of libyaml's (a tag or an anchor), if there is one.
    private mutating func store(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> TextRange? {
        guard let pointer else { return nil }
        return store(pointer, count: strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)))
    }
}

/// Where an event's text lies in its batch's bytes.
struct TextRange: Sendable {
    var start: Int32
    var count: Int32

    /// The text, from the batch's bytes.
    func string(in bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(start)..<Int(start + count)]), as: UTF8.self)
    }
}

/// One libyaml event, copied out of libyaml's buffers: what the composer needs of it,
/// as a plain value whose texts are in its ``EventBatch``.
struct YAMLEvent: Sendable {
    /// What happened.
    enum Kind: UInt8, Sendable {
        case documentStart
        /// A scalar: its text and style are ``text`` and ``style``.
        case scalar
        /// An alias: the anchor it names is ``anchor``.
        case alias
        case sequenceStart
        case mappingStart
        case collectionEnd
        case streamEnd
        case other
    }

    var kind: Kind
    /// A scalar's style.
    var style: ScalarStyle = .plain
    /// A scalar's text.
    var text = TextRange(start: 0, count: 0)
    /// The tag of a scalar or collection, as written (see ``resolveTag(_:)``).
    var tag: TextRange?
    /// The anchor a node defines, or the one an alias refers to.
    var anchor: TextRange?
    /// Zero-based line and column where the event starts and ends, as libyaml counts.
    var startLine: Int32
    var startColumn: Int32
    var endLine: Int32
    var endColumn: Int32

    init(kind: Kind, startLine: Int32, startColumn: Int32, endLine: Int32, endColumn: Int32) {
        self.kind = kind
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// `!!str` → `tag:yaml.org,2002:str`; other tags as written.
    static func resolveTag(_ tag: String) -> String {
        if tag.hasPrefix("!!") { return "tag:yaml.org,2002:" + tag.dropFirst(2) }
        return tag
    }
}
