import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// RFC 3339 times in UTC, as the API, the activity records and the reload status show them
/// (`2026-12-07T11:02:54.123Z`).
///
/// Over glibc's `gmtime_r` and `timegm`, without a Foundation `Calendar` or `TimeZone`
/// (with full Foundation linked, as GRDB needs it, those are ICU's).
public enum RFC3339 {
    /// `date` in UTC, with milliseconds unless `milliseconds` is false.
    public static func string(_ date: Date, milliseconds: Bool = true) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let millisecond = ((totalMilliseconds % 1000) + 1000) % 1000
        let seconds = (totalMilliseconds - millisecond) / 1000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-"
        text += padded(Int(parts.tm_mday), 2) + "T" + padded(Int(parts.tm_hour), 2) + ":"
        text += padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2)
        if milliseconds {
            text += "." + padded(Int(millisecond), 3)
        }
        return text + "Z"
    }

    /// The date of `text`: `YYYY-MM-DDTHH:MM:SS`, optional fraction, then `Z` or `±HH:MM`
    /// (`t`, `z` and a space for `T` accepted, as RFC 3339 allows); nil for anything else.
    public static func date(_ text: String) -> Date? {
        var reader = DigitReader(bytes: Array(text.utf8))
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2), reader.skip(anyOf: "Tt "), let hour = reader.number(2),
            reader.skip(":"), let minute = reader.number(2), reader.skip(":"), let second = reader.number(2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") {
            var scale = 0.1
            var digits = 0
            while let digit = reader.digit() {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        let offset: Int
        if reader.skip(anyOf: "Zz") {
            offset = 0
        } else if let sign = reader.sign(), let hours = reader.number(2), reader.skip(":"),
            let minutes = reader.number(2), hours < 24, minutes < 60
        {
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int(timegm(&parts)) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Reads an RFC 3339 text byte by byte.
private struct DigitReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }

    mutating func digit() -> Int? {
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return Int(bytes[index] - UInt8(ascii: "0"))
    }

    /// Exactly `count` digits as a number.
    mutating func number(_ count: Int) -> Int? {
        var value = 0
        for _ in 0..<count {
            guard let digit = digit() else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    mutating func skip(_ character: Character) -> Bool {
        skip(anyOf: String(character))
    }

    mutating func skip(anyOf characters: String) -> Bool {
        guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    /// +1 or -1 for a `+` or `-`.
    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
