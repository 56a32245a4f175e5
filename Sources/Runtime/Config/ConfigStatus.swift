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
    }

    /// The current time in ISO 8601, as the status shows its times.
    static func now() -> String {
        Date().formatted(.iso8601)
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
    }
}
