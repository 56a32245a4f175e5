import CLibYAML

/// One libyaml event, copied out of libyaml's buffers: what the composer needs of it.
struct YAMLEvent {
    /// What happened.
    enum Kind {
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

    var kind: Kind = .other
    /// A scalar's style.
    var style: ScalarStyle = .plain
    /// A scalar's text.
    var text = ""
    /// The tag of a scalar or collection, resolved (see ``resolveTag(_:)``).
    var tag: String?
    /// The anchor a node defines, or the one an alias refers to.
    var anchor: String?
    /// Where the event starts and ends (one-based, as spans count).
    var start: SourceLocation
    var end: SourceLocation

    /// Copies libyaml's `event`, which stays the caller's to free.
    init(_ event: yaml_event_t) {
        start = SourceLocation(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        end = SourceLocation(line: Int(event.end_mark.line) + 1, column: Int(event.end_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            kind = .documentStart
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            kind = .scalar
            style =
                switch scalar.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: .literal
                case YAML_FOLDED_SCALAR_STYLE: .folded
                default: .plain
                }
            // libyaml's scalar may hold NUL bytes (`"\0"`), so it is read by length.
            text =
                scalar.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                } ?? ""
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
            break
        }
    }

    /// A NUL-terminated string of libyaml's (a tag or an anchor), if there is one.
    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    /// `!!str` → `tag:yaml.org,2002:str`; other tags as written.
    static func resolveTag(_ tag: String) -> String {
        if tag.hasPrefix("!!") { return "tag:yaml.org,2002:" + tag.dropFirst(2) }
        return tag
    }
}
