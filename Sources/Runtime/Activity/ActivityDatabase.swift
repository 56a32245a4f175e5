import ConfigLang
import FoundationEssentials
import GRDB

/// The activity history in a SQLite file (`store.path`), through GRDB: one table, its
/// schema made by a migration, the journal in WAL mode, at most ``retention`` rows (the
/// oldest are deleted as new ones come).
public final class ActivityDatabase: Sendable {
    /// Rows kept in the file.
    public let retention: Int
    private let pool: DatabasePool

    /// Opens (creating when needed) the database at `path`; throws when the file or its
    /// directory cannot be written.
    public init(path: String, retention: Int = 100_000) throws {
        self.retention = max(1, retention)
        var configuration = Configuration()
        configuration.label = "activity"
        pool = try DatabasePool(path: path, configuration: configuration)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: activity") { db in
            try db.create(table: "activity") { table in
                table.primaryKey("id", .integer)
                table.column("timestamp", .double).notNull()
                table.column("model", .text).notNull()
                table.column("req_path", .text).notNull()
                table.column("resp_status_code", .integer).notNull()
                table.column("resp_content_type", .text).notNull()
                table.column("input_tokens", .integer).notNull()
                table.column("output_tokens", .integer).notNull()
                table.column("cache_tokens", .integer).notNull()
                table.column("draft_tokens", .integer).notNull()
                table.column("draft_acc_tokens", .integer).notNull()
                table.column("prompt_per_second", .double).notNull()
                table.column("tokens_per_second", .double).notNull()
                table.column("duration_ms", .integer).notNull()
                table.column("ttfb_ms", .integer)
                table.column("queued_ms", .integer).notNull()
                table.column("start_cause", .text).notNull()
                table.column("evicted", .text).notNull()
                table.column("session_id", .text)
                table.column("lock_changes", .text).notNull()
                table.column("error_msg", .text)
                table.column("metadata", .text)
            }
        }
        try migrator.migrate(pool)
    }

    /// Writes `records` in one transaction, then deletes what is past the retention.
    public func insert(_ records: [ActivityRecord]) throws {
        try pool.write { db in
            for record in records {
                try db.execute(sql: Self.insertSQL, arguments: Self.arguments(record))
            }
            try db.execute(
                sql: "DELETE FROM activity WHERE id <= (SELECT id FROM activity ORDER BY id DESC LIMIT 1 OFFSET ?)",
                arguments: [retention])
        }
    }

    /// The newest `limit` records, oldest first.
    public func newest(_ limit: Int) throws -> [ActivityRecord] {
        try pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM activity ORDER BY id DESC LIMIT ?", arguments: [max(0, limit)])
            return rows.reversed().map(Self.record)
        }
    }

    /// The largest id stored (0 when empty).
    public func lastID() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT MAX(id) FROM activity") ?? 0 }
    }

    /// Caps the file at `pages` pages, so that the next writes fail as on a full disk (tests).
    func limit(pages: Int) throws {
        try pool.write { db in try db.execute(sql: "PRAGMA max_page_count = \(pages)") }
    }

    /// The number of rows.
    public func count() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM activity") ?? 0 }
    }

    private static let columns = [
        "id", "timestamp", "model", "req_path", "resp_status_code", "resp_content_type", "input_tokens",
        "output_tokens", "cache_tokens", "draft_tokens", "draft_acc_tokens", "prompt_per_second",
        "tokens_per_second", "duration_ms", "ttfb_ms", "queued_ms", "start_cause", "evicted", "session_id",
        "lock_changes", "error_msg", "metadata",
    ]

    private static let insertSQL =
        "INSERT OR REPLACE INTO activity (\(columns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"

    private static func arguments(_ record: ActivityRecord) -> StatementArguments {
        let tokens = record.tokens
        var cause = "none"
        var evicted: [String] = []
        switch record.startCause {
        case .none: break
        case .start: cause = "start"
        case .swap(let models):
            cause = "swap"
            evicted = models
        }
        let values: [(any DatabaseValueConvertible)?] = [
            record.id, record.timestamp.timeIntervalSince1970, record.model, record.path, record.status,
            record.contentType, tokens.input, tokens.output, tokens.cached, tokens.draft, tokens.draftAccepted,
            tokens.promptPerSecond, tokens.tokensPerSecond, ActivityJSON.milliseconds(record.duration),
            record.timeToFirstByte.map(ActivityJSON.milliseconds), ActivityJSON.milliseconds(record.queued), cause,
            JSONValue.array(evicted.map(JSONValue.string)).serialized(), record.sessionID,
            ActivityJSON.lockChanges(record.lockChanges).serialized(), record.errorMessage,
            record.metadata?.serialized(),
        ]
        return StatementArguments(values)
    }

    private static func record(_ row: Row) -> ActivityRecord {
        let evicted = json(row["evicted"]).flatMap { value -> [String]? in
            guard case .array(let items) = value else { return nil }
            return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        }
        let cause: ModelStartCause =
            switch row["start_cause"] as String? {
            case "start": .start
            case "swap": .swap(evicted: evicted ?? [])
            default: .none
            }
        var changes: [LockChange] = []
        if case .array(let items)? = json(row["lock_changes"]) {
            changes = items.compactMap { item in
                guard case .object(let fields) = item, case .string(let key)? = fields["key"],
                    case .string(let action)? = fields["action"]
                else { return nil }
                func text(_ name: String) -> String? {
                    if case .string(let value)? = fields[name] { value } else { nil }
                }
                return LockChange(
                    key: key, sent: text("sent"), forwarded: text("forwarded"), action: action,
                    declaredAt: text("declared_at"))
            }
        }
        let ttfb: Int? = row["ttfb_ms"]
        return ActivityRecord(
            id: row["id"], timestamp: Date(timeIntervalSince1970: row["timestamp"]), model: row["model"],
            path: row["req_path"], status: row["resp_status_code"], contentType: row["resp_content_type"],
            tokens: TokenUsage(
                input: row["input_tokens"], output: row["output_tokens"], cached: row["cache_tokens"],
                draft: row["draft_tokens"], draftAccepted: row["draft_acc_tokens"],
                promptPerSecond: row["prompt_per_second"], tokensPerSecond: row["tokens_per_second"]),
            duration: .milliseconds(row["duration_ms"] as Int), timeToFirstByte: ttfb.map { .milliseconds($0) },
            queued: .milliseconds(row["queued_ms"] as Int), startCause: cause, sessionID: row["session_id"],
            lockChanges: changes, hasCapture: false, errorMessage: row["error_msg"], metadata: json(row["metadata"]))
    }

    private static func json(_ text: String?) -> JSONValue? {
        text.flatMap { try? JSONValue(parsing: Array($0.utf8)) }
    }
}
