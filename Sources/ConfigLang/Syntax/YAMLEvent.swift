import CLibYAML

/// Events with the scalar bytes they refer to, handed from the parsing thread to the
/// composing one. Scalars are kept as bytes so turning them into strings (which
/// validates UTF-8) happens on the composing side, balancing the two threads.
struct YAMLEventBatch: Sendable {
    var events: [YAMLEvent] = []
    var bytes: [UInt8] = []

    /// The scalar text of `range`.
    func text(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }
}

/// One libyaml event, copied out of libyaml's buffers: what the composer needs of it,
/// as a value that can cross to the thread that composes.
struct YAMLEvent: Sendable {
    /// What happened.
    enum Kind: Sendable {
        case documentStart
        /// A scalar: where its bytes are in the batch, and its style.
        case scalar(Range<Int>, ScalarStyle)
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

    /// Copies `event`, appending a scalar's bytes to `bytes`.
    init(_ event: yaml_event_t, bytes: inout [UInt8]) {
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
            let start = bytes.count
            if let value = scalar.value {
                bytes.append(contentsOf: UnsafeBufferPointer(start: value, count: Int(scalar.length)))
            }
            let style: ScalarStyle =
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            kind = .scalar(start..<bytes.count, style)
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
