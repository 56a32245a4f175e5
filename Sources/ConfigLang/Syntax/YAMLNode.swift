/// How a scalar was written; quoted and block scalars are always strings.
public enum ScalarStyle: String, Sendable, Hashable, Codable {
    /// Unquoted.
    case plain
    /// `'single quoted'`.
    case singleQuoted
    /// `"double quoted"`.
    case doubleQuoted
    /// `|` block.
    case literal
    /// `>` block.
    case folded
}

/// One node of the YAML syntax tree, with the exact span it was written at.
///
/// Aliases and `<<` merges are resolved by the composer: the node they produce is a
/// copy of the anchored node (keeping its own spans) whose `reference` is the place
/// the alias or merge key was written, so a diagnostic can point at both.
public struct YAMLNode: Sendable, Hashable {
    /// The node's content.
    public enum Kind: Sendable, Hashable {
        /// A scalar: its text as written (after escapes) and its style.
        case scalar(String, ScalarStyle)
        /// A sequence of nodes.
        case sequence([YAMLNode])
        /// A mapping, in source order; merged entries appear where `<<` was written.
        case mapping([YAMLEntry])
    }

    /// The node's fields, shared between copies until one of them changes: the tree
    /// is handed around by value, so a node is one reference.
    private final class Storage: @unchecked Sendable {
        // Safe to share across threads: a storage is only changed through the
        // setters below, and only while exactly one node refers to it.
        var kind: Kind
        var span: Span
        var tag: String?
        var reference: Span?

        init(kind: Kind, span: Span, tag: String?, reference: Span?) {
            self.kind = kind
            self.span = span
            self.tag = tag
            self.reference = reference
        }
    }

    private var storage: Storage

    /// The storage, copied first if another node shares it.
    private var uniqueStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) {
                storage = Storage(
                    kind: storage.kind, span: storage.span, tag: storage.tag, reference: storage.reference)
            }
            return storage
        }
    }

    /// The node's content.
    public var kind: Kind {
        get { storage.kind }
        set { uniqueStorage.kind = newValue }
    }
    /// Where the node is written.
    public var span: Span {
        get { storage.span }
        set { uniqueStorage.span = newValue }
    }
    /// The explicit tag (`!!str` becomes `tag:yaml.org,2002:str`), if any.
    public var tag: String? {
        get { storage.tag }
        set { uniqueStorage.tag = newValue }
    }
    /// Where an alias or merge key brought this node in, if it came through one.
    public var reference: Span? {
        get { storage.reference }
        set { uniqueStorage.reference = newValue }
    }

    /// Creates a node.
    public init(_ kind: Kind, span: Span, tag: String? = nil, reference: Span? = nil) {
        storage = Storage(kind: kind, span: span, tag: tag, reference: reference)
    }

    /// Equal content, span, tag and reference.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        if lhs.storage === rhs.storage { return true }
        return lhs.kind == rhs.kind && lhs.span == rhs.span && lhs.tag == rhs.tag && lhs.reference == rhs.reference
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(span)
        hasher.combine(tag)
        hasher.combine(reference)
    }

    /// The scalar's text, or nil for collections.
    public var scalar: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The scalar's style, or nil for collections.
    public var style: ScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }

    /// The mapping's entries, or nil.
    public var entries: [YAMLEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The sequence's items, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// True for an untagged plain scalar that YAML reads as null (`~`, `null`, empty).
    public var isNull: Bool {
        guard case .scalar(let text, .plain) = kind, tag == nil || tag == "tag:yaml.org,2002:null" else {
            return false
        }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    /// True for a plain, untagged scalar (the only kind whose type YAML infers).
    public var isPlainScalar: Bool { style == .plain && tag == nil }

    /// The value for `key` in a mapping (the entry's value node), or nil.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = kind, let index = Self.index(of: key, in: entries) else { return nil }
        return entries[index].value
    }

    /// The entry for `key` in a mapping, or nil.
    public func entry(_ key: String) -> YAMLEntry? {
        guard case .mapping(let entries) = kind, let index = Self.index(of: key, in: entries) else { return nil }
        return entries[index]
    }

    /// Where `key` is among `entries`, compared in place (no entry is copied).
    private static func index(of key: String, in entries: [YAMLEntry]) -> Int? {
        for index in entries.indices {
            if case .scalar(let text, _) = entries[index].key.kind, text == key { return index }
        }
        return nil
    }

    /// A short word for the node's kind, for messages ("a mapping").
    public var kindDescription: String {
        switch kind {
        case .scalar(let text, let style):
            if isNull { return "null" }
            if style != .plain || tag == "tag:yaml.org,2002:str" { return "a string" }
            if Int(text) != nil { return "an integer" }
            if Double(text) != nil { return "a number" }
            if text == "true" || text == "false" { return "a boolean" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// A copy in which this node and every descendant without a reference get `site`.
    func referenced(from site: Span) -> YAMLNode {
        var copy = self
        if copy.reference == nil { copy.reference = site }
        switch kind {
        case .scalar: break
        case .sequence(let items): copy.kind = .sequence(items.map { $0.referenced(from: site) })
        case .mapping(let entries):
            copy.kind = .mapping(
                entries.map {
                    YAMLEntry(key: $0.key.referenced(from: site), value: $0.value.referenced(from: site))
                })
        }
        return copy
    }
}

/// One `key: value` pair of a mapping.
public struct YAMLEntry: Sendable, Hashable {
    /// The key node (always a scalar after composition).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates an entry.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    /// The key's text.
    public var name: String { key.scalar ?? "" }
}
