import ConfigLang
import FoundationEssentials

/// The current plan and the result of the last attempt to load the config.
public struct ConfigStatus: Sendable, Codable {
    /// Hash of the bytes the running plan was compiled from.
    public var planHash: String
    /// When the running plan was loaded (ISO 8601).
    public var loadedAt: String
    /// The last attempt, successful or not.
    public var lastAttempt: Attempt
    /// How many reload attempts were made since start (startup not counted).
    public var attempts: Int = 0
    /// How many of them applied a new plan.
    public var applied: Int = 0
    /// How many of them succeeded without a new plan (the same bytes as the running one).
    public var unchanged: Int = 0

    /// One load attempt.
    public struct Attempt: Sendable, Codable {
        /// When it happened (ISO 8601).
        public var at: String
        /// What triggered it: `startup`, `watch`, `sighup`, `api`.
        public var trigger: String
        /// True when the new plan was applied (or the bytes were unchanged).
        public var success: Bool
        /// The hash of the bytes read.
        public var sourceHash: String
        /// Diagnostics, in the `swap-lint --format json` envelope.
        public var diagnostics: [AttemptDiagnostic]
        /// What an applied plan did to the models (all empty when nothing was applied).
        public var changes = Changes()
    }

    /// The models an applied reload touched, by what happened to each.
    public struct Changes: Sendable, Codable, Equatable {
        /// Drained, stopped and started again (their process changed).
        public var restarted: [String] = []
        /// Changed without a restart (locks, TTL, aliases…): applied to new requests.
        public var updated: [String] = []
        /// New in the plan.
        public var added: [String] = []
        /// Gone from the plan: drained, then stopped.
        public var removed: [String] = []

        /// No changes.
        public init() {}

        /// The changes of `diff`.
        public init(_ diff: PlanDiff) {
            restarted = diff.restart
            updated = diff.applyLive
            added = diff.added
            removed = diff.removed
        }
    }

    /// The current time in ISO 8601, as the status shows its times.
    static func now() -> String {
        RFC3339.string(Date(), milliseconds: false)
    }

    /// A diagnostic as the status API shows it.
    public struct AttemptDiagnostic: Sendable, Codable {
        /// Code (`SL301`).
        public var code: String
        /// `error`, `warning` or `note`.
        public var severity: String
        /// Message.
        public var message: String
        /// File.
        public var file: String
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
        /// The text of line `line`, when the file could be read and the line is at most
        /// ``quotedLineLimit`` characters (a hostile file's one huge line is not repeated
        /// in every diagnostic).
        public var sourceLine: String? = nil
        /// The 1-based column just past the span on `line` (its end when it runs past the line).
        public var endColumn: Int? = nil
        /// What to do about it.
        public var help: String? = nil
        /// Other places that explain it ("first defined here").
        public var notes: [Note] = []

        /// A related place: what it has to do with the diagnostic, and where.
        public struct Note: Sendable, Codable {
            /// What this place has to do with the diagnostic.
            public var message: String
            /// File.
            public var file: String
            /// 1-based line.
            public var line: Int
            /// 1-based column.
            public var column: Int
            /// The text of that line, when the file could be read.
            public var sourceLine: String?

            enum CodingKeys: String, CodingKey {
                case message, file, line, column
                case sourceLine = "source_line"
            }

            /// Encodes every key, `null` for a missing source line.
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(message, forKey: .message)
                try container.encode(file, forKey: .file)
                try container.encode(line, forKey: .line)
                try container.encode(column, forKey: .column)
                try container.encode(sourceLine, forKey: .sourceLine)
            }
        }

        enum CodingKeys: String, CodingKey {
            case code, severity, message, file, line, column, help, notes
            case sourceLine = "source_line"
            case endColumn = "end_column"
        }

        /// Encodes every key, `null` for what is missing, so a reader sees one shape.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(severity, forKey: .severity)
            try container.encode(message, forKey: .message)
            try container.encode(file, forKey: .file)
            try container.encode(line, forKey: .line)
            try container.encode(column, forKey: .column)
            try container.encode(sourceLine, forKey: .sourceLine)
            try container.encode(endColumn, forKey: .endColumn)
            try container.encode(help, forKey: .help)
            try container.encode(notes, forKey: .notes)
        }
    }
}

extension ConfigStatus.AttemptDiagnostic {
    /// The longest source line a diagnostic quotes, in Unicode scalars.
    static let quotedLineLimit = 1000

    /// Line `line` of `file` in `sources`, or nil when unknown or longer than ``quotedLineLimit``.
    static func quoted(_ sources: [String: SourceFile], _ file: String, _ line: Int) -> String? {
        guard let text = sources[file]?.line(line), text.unicodeScalars.count <= quotedLineLimit else { return nil }
        return text
    }

    /// The compiler's `diagnostic`, with its source lines quoted from `sources` (by file name).
    init(_ diagnostic: Diagnostic, sources: [String: SourceFile]) {
        let span = diagnostic.span
        let text = Self.quoted(sources, span.file, span.start.line)
        let endColumn =
            span.end.line == span.start.line
            ? span.end.column : (text.map { $0.unicodeScalars.count + 1 } ?? span.start.column)
        self.init(
            code: diagnostic.code.rawValue, severity: diagnostic.severity.rawValue, message: diagnostic.message,
            file: span.file, line: span.start.line, column: span.start.column, sourceLine: text,
            endColumn: max(endColumn, span.start.column), help: diagnostic.help,
            notes: diagnostic.related.map { related in
                Note(
                    message: related.label, file: related.span.file, line: related.span.start.line,
                    column: related.span.start.column,
                    sourceLine: Self.quoted(sources, related.span.file, related.span.start.line))
            })
    }
}
