import ConfigLang
import Foundation

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

/// Reads and compiles the config files. Pure of serving concerns: it only turns files
/// into a plan or diagnostics.
public struct ConfigSource: Sendable {
    /// The main config file.
    public var file: String
    /// An optional directory of fragments merged in (`--config-dir`).
    public var directory: String?

    /// Creates a source.
    public init(file: String, directory: String?) {
        self.file = file
        self.directory = directory
    }

    /// The files, read now; throws with a message when one cannot be read.
    public func read() throws -> [SourceFile] {
        var paths = [file]
        if let directory {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                (directory as NSString).appendingPathComponent($0)
            }
        }
        return try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigReadError(message: "cannot read config file \(path)")
            }
            return SourceFile(name: path, bytes: [UInt8](data))
        }
    }
}

/// A config file that could not be read.
public struct ConfigReadError: Error, Sendable {
    /// What went wrong.
    public var message: String
}
