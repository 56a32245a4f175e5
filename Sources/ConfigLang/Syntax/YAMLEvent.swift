import CLibYAML

/// Events on their way from the parsing thread to the composing thread, in order; a
/// parse failure ends the stream.
struct EventBatch: Sendable {
    var events: [YAMLEvent] = []
    var failure: Diagnostic?

    /// Events per batch: enough that handing over costs little, few enough that the
    /// composer starts early.
    static let capacity = 1024
}

/// One libyaml event, copied out of libyaml's buffers: what the composer needs of it,
/// as a value that can cross to the thread that composes.
struct YAMLEvent: Sendable {
    /// What happened.
    enum Kind: Sendable {
        case documentStart
        /// A scalar: its text and style.
        case scalar(String, ScalarStyle)
        case alias
        case sequenceStart
        case mappingStart
        case collectionEnd
        case streamEnd
        /// libyaml stopped: the problem it reported, and nothing follows.
        indirect case parseError(Diagnostic)
        case other
    }

    var kind: Kind
    /// The resolved tag of a scalar or collection.
    var tag: String?
    /// The anchor a node defines, or the one an alias refers to.
    var anchor: String?
    /// Zero-based line and column where the event starts and ends, as libyaml counts.
    var startLine: Int32
    var startColumn: Int32
    var endLine: Int32
    var endColumn: Int32

    /// An event with no position (a parse failure).
    init(_ kind: Kind) {
        self.kind = kind
        startLine = 0
        startColumn = 0
        endLine = 0
        endColumn = 0
    }

    /// Copies `event` (which stays the caller's to free).
    init(_ event: yaml_event_t) {
        tag = nil
        anchor = nil
        startLine = Int32(truncatingIfNeeded: event.start_mark.line)
        startColumn = Int32(truncatingIfNeeded: event.start_mark.column)
        endLine = Int32(truncatingIfNeeded: event.end_mark.line)
        endColumn = Int32(truncatingIfNeeded: event.end_mark.column)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            var text = ""
            if let value = scalar.value {
                text = String(decoding: UnsafeBufferPointer(start: value, count: Int(scalar.length)), as: UTF8.self)
            }
            let style: ScalarStyle =
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            kind = .scalar(text, style)
            tag = Self.string(scalar.tag).map(Self.resolveTag)
            anchor = Self.string(scalar.anchor)
        case YAML_ALIAS_EVENT:
            kind = .alias
            anchor = Self.string(event.data.alias.anchor) ?? ""
        case YAML_SEQUENCE_START_EVENT:
            kind = .sequenceStart
            tag = Self.string(event.data.sequence_start.tag).map(Self.resolveTag)
            anchor = Self.string(event.data.sequence_start.anchor)
        case YAML_MAPPING_START_EVENT:
            kind = .mappingStart
            tag = Self.string(event.data.mapping_start.tag).map(Self.resolveTag)
            anchor = Self.string(event.data.mapping_start.anchor)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            kind = .collectionEnd
        case YAML_STREAM_END_EVENT:
            kind = .streamEnd
        default:
            kind = .other
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// `!!str` → `tag:yaml.org,2002:str`; other tags as written.
    static func resolveTag(_ tag: String) -> String {
        if tag.hasPrefix("!!") { return "tag:yaml.org,2002:" + tag.dropFirst(2) }
        return tag
    }
}
