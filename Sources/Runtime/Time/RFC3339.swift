import FoundationEssentials

/// RFC 3339 times in UTC, as the API, the activity records and the reload status show them
/// (`2026-12-07T11:02:54.123Z`), and as the API's `start`, `end` and `after` read them.
public enum RFC3339 {
    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let wholeSeconds = Date.ISO8601FormatStyle()

    /// `date` in UTC, with milliseconds unless `milliseconds` is false.
    public static func string(_ date: Date, milliseconds: Bool = true) -> String {
        date.formatted(milliseconds ? withMilliseconds : wholeSeconds)
    }

    /// The date of `text`, with or without fractional seconds; nil when it is not one.
    public static func date(_ text: String) -> Date? {
        (try? withMilliseconds.parse(text)) ?? (try? wholeSeconds.parse(text))
    }
}
