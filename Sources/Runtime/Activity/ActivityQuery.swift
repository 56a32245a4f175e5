import ConfigLang
import FoundationEssentials

/// `GET /api/metrics/activity`'s parameters, parsed and checked: `model` (repeatable),
/// `start`/`end` (RFC 3339, inclusive), `min_id`/`max_id`, `limit` (1…999, default 25),
/// `page` (from 1), `sort` (one of ``sortKeys``, default `id`), `order` (`asc`|`desc`,
/// default `desc`).
public struct ActivityQuery: Sendable, Equatable {
    /// A parameter with a value it cannot take; the message names it and says what fits.
    public struct Invalid: Error, Equatable, Sendable {
        /// The message for the 400.
        public var message: String
    }

    /// The columns `sort` accepts.
    public static let sortKeys = [
        "id", "time", "model", "req_path", "resp_status_code", "resp_content_type", "cached", "prompt",
        "generated", "drafted", "prompt_speed", "gen_speed", "duration",
    ]

    /// Models to keep (empty: all).
    public var models: [String] = []
    /// Earliest timestamp kept.
    public var start: Date?
    /// Latest timestamp kept.
    public var end: Date?
    /// Smallest id kept.
    public var minID: Int?
    /// Largest id kept.
    public var maxID: Int?
    /// Rows per page.
    public var limit = 25
    /// The page, from 1.
    public var page = 1
    /// The sort column.
    public var sort = "id"
    /// Ascending rather than descending.
    public var ascending = false

    /// The query of `items` (name, value pairs in order); throws ``Invalid`` naming the
    /// first bad parameter.
    public init(_ items: [(name: String, value: String)]) throws(Invalid) {
        for (name, value) in items {
            switch name {
            case "model":
                if !value.isEmpty { models.append(value) }
            case "start", "end":
                guard let date = RFC3339.date(value) else {
                    throw Invalid(
                        message: "`\(name)` must be an RFC 3339 time such as 2026-01-31T12:00:00Z; got `\(value)`.")
                }
                if name == "start" { start = date } else { end = date }
            case "min_id", "max_id":
                guard let id = Int(value), id >= 0 else {
                    throw Invalid(message: "`\(name)` must be a whole number ≥ 0; got `\(value)`.")
                }
                if name == "min_id" { minID = id } else { maxID = id }
            case "limit":
                guard let number = Int(value), (1...999).contains(number) else {
                    throw Invalid(message: "`limit` must be a whole number from 1 to 999; got `\(value)`.")
                }
                limit = number
            case "page":
                guard let number = Int(value), number >= 1 else {
                    throw Invalid(message: "`page` must be a whole number ≥ 1; got `\(value)`.")
                }
                page = number
            case "sort":
                guard Self.sortKeys.contains(value) else {
                    throw Invalid(
                        message: "`sort` must be one of \(Self.sortKeys.joined(separator: ", ")); got `\(value)`.")
                }
                sort = value
            case "order":
                guard value == "asc" || value == "desc" else {
                    throw Invalid(message: "`order` must be `asc` or `desc`; got `\(value)`.")
                }
                ascending = value == "asc"
            default:
                continue
            }
        }
    }

    /// The page of `records` this query selects, as `{"data","page","limit","total","total_pages"}`.
    public func page(of records: [ActivityRecord]) -> JSONValue {
        let kept = records.filter(matches)
        let sorted = kept.sorted { a, b in
            let order = Self.compare(a, b, by: sort)
            if order == 0 { return ascending ? a.id < b.id : a.id > b.id }
            return ascending ? order < 0 : order > 0
        }
        let from = min(sorted.count, (page - 1) * limit)
        let rows = sorted[from..<min(sorted.count, from + limit)]
        return .object([
            "data": .array(rows.map(ActivityJSON.entry)),
            "page": .integer(page),
            "limit": .integer(limit),
            "total": .integer(kept.count),
            "total_pages": .integer((kept.count + limit - 1) / limit),
        ])
    }

    private func matches(_ record: ActivityRecord) -> Bool {
        if !models.isEmpty, !models.contains(record.model) { return false }
        if let start, record.timestamp < start { return false }
        if let end, record.timestamp > end { return false }
        if let minID, record.id < minID { return false }
        if let maxID, record.id > maxID { return false }
        return true
    }

    /// -1, 0 or 1 as `a` sorts before, with or after `b` by `key`.
    private static func compare(_ a: ActivityRecord, _ b: ActivityRecord, by key: String) -> Int {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
        switch key {
        case "time": return order(a.timestamp, b.timestamp)
        case "model": return order(a.model, b.model)
        case "req_path": return order(a.path, b.path)
        case "resp_status_code": return order(a.status, b.status)
        case "resp_content_type": return order(a.contentType, b.contentType)
        case "cached": return order(a.tokens.cached, b.tokens.cached)
        case "prompt": return order(a.tokens.input, b.tokens.input)
        case "generated": return order(a.tokens.output, b.tokens.output)
        case "drafted": return order(a.tokens.draft, b.tokens.draft)
        case "prompt_speed": return order(a.tokens.promptPerSecond, b.tokens.promptPerSecond)
        case "gen_speed": return order(a.tokens.tokensPerSecond, b.tokens.tokensPerSecond)
        case "duration": return order(a.duration, b.duration)
        default: return order(a.id, b.id)
        }
    }
}
