/// How serious a diagnostic is. Ordered: `note < warning < error`.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// Information that needs no action.
    case note
    /// Probably a mistake, but the config still compiles.
    case warning
    /// The config does not compile.
    case error

    private var rank: Int {
        switch self {
        case .note: 0
        case .warning: 1
        case .error: 2
        }
    }

    /// Orders by position.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A secondary location that explains a diagnostic ("first defined here").
public struct RelatedSpan: Sendable, Hashable, Codable {
    /// Where.
    public var span: Span
    /// What this place has to do with the diagnostic.
    public var label: String

    /// Creates a related span.
    public init(_ span: Span, _ label: String) {
        self.span = span
        self.label = label
    }
}

/// One problem found in a config, from any compiler stage.
///
/// Every stage reports through this one type; renderers turn a list of them into
/// text for people (`human`), editors (`gnu`), tools (`json`, `sarif`) or CI
/// (`github`).
///
/// ```swift
/// Diagnostic(.duplicateKey, "duplicate key `ttl`", at: second,
///            related: [RelatedSpan(first, "first defined here")],
///            help: "remove one of the two")
/// ```
public struct Diagnostic: Sendable, Hashable, Codable {
    /// Stable code, documented by `swap-lint explain`.
    public var code: DiagnosticCode
    /// Severity; defaults to the code's own.
    public var severity: Severity
    /// One sentence saying what is wrong.
    public var message: String
    /// The exact place the problem is.
    public var span: Span
    /// Other places that explain it.
    public var related: [RelatedSpan]
    /// What to do about it.
    public var help: String?

    /// Creates a diagnostic with the code's default severity unless one is given.
    public init(
        _ code: DiagnosticCode, _ message: String, at span: Span, severity: Severity? = nil,
        related: [RelatedSpan] = [], help: String? = nil
    ) {
        self.code = code
        self.severity = severity ?? code.defaultSeverity
        self.message = message
        self.span = span
        self.related = related
        self.help = help
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, position, then code, so output is stable.
    public func sortedByPosition() -> [Diagnostic] {
        sorted { lhs, rhs in
            if lhs.span != rhs.span { return lhs.span < rhs.span }
            return lhs.code.rawValue < rhs.code.rawValue
        }
    }
}
