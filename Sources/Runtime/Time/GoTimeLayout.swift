import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A time broken into the parts a log timestamp shows, in one time zone.
struct TimeParts: Sendable, Equatable {
    var year: Int
    /// 1…12.
    var month: Int
    var day: Int
    /// 0 = Sunday.
    var weekday: Int
    var hour: Int
    var minute: Int
    var second: Int
    var nanosecond: Int
    /// Seconds east of UTC.
    var utcOffset: Int
    /// The zone's abbreviation (`UTC`, `CET`).
    var zone: String

    /// `date` in the machine's local time zone (`TZ`, `/etc/localtime`), as Go's log
    /// timestamps are.
    static func local(_ date: Date) -> TimeParts {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        localtime_r(&seconds, &parts)
        let zone = parts.tm_zone.map { String(cString: $0) } ?? "UTC"
        return TimeParts(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            weekday: Int(parts.tm_wday), hour: Int(parts.tm_hour), minute: Int(parts.tm_min),
            second: Int(parts.tm_sec), nanosecond: Int((interval - interval.rounded(.down)) * 1e9),
            utcOffset: Int(parts.tm_gmtoff), zone: zone)
    }
}

/// The timestamp layouts `logTimeFormat` names, after Go's `time` constants (`rfc3339`
/// is `2006-01-02T15:04:05Z07:00`, `kitchen` is `3:04PM`, …), written by hand: Go's
/// layouts are not a format any Swift formatter takes.
enum GoTimeLayout {
    /// `parts` in the layout `name` (a `logTimeFormat` value); nil for "" or an unknown name.
    static func format(_ parts: TimeParts, layout name: String) -> String? {
        let date = "\(two(parts.day)) \(monthName(parts.month)) \(two(parts.year % 100))"
        let clock = "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
        let stamp = "\(monthName(parts.month)) \(spaced(parts.day)) \(clock)"
        let weekday = weekdayName(parts.weekday)
        switch name {
        case "ansic": return "\(weekday) \(monthName(parts.month)) \(spaced(parts.day)) \(clock) \(parts.year)"
        case "unixdate":
            return "\(weekday) \(monthName(parts.month)) \(spaced(parts.day)) \(clock) \(parts.zone) \(parts.year)"
        case "rubydate":
            return
                "\(weekday) \(monthName(parts.month)) \(two(parts.day)) \(clock) \(offset(parts, colon: false)) \(parts.year)"
        case "rfc822": return "\(date) \(two(parts.hour)):\(two(parts.minute)) \(parts.zone)"
        case "rfc822z": return "\(date) \(two(parts.hour)):\(two(parts.minute)) \(offset(parts, colon: false))"
        case "rfc850":
            let full = fullWeekdayName(parts.weekday)
            return
                "\(full), \(two(parts.day))-\(monthName(parts.month))-\(two(parts.year % 100)) \(clock) \(parts.zone)"
        case "rfc1123":
            return "\(weekday), \(two(parts.day)) \(monthName(parts.month)) \(parts.year) \(clock) \(parts.zone)"
        case "rfc1123z":
            return
                "\(weekday), \(two(parts.day)) \(monthName(parts.month)) \(parts.year) \(clock) \(offset(parts, colon: false))"
        case "rfc3339": return "\(isoDate(parts))T\(clock)\(zulu(parts))"
        case "rfc3339nano":
            var fraction = String(nine(parts.nanosecond))
            while fraction.last == "0" { fraction.removeLast() }
            return "\(isoDate(parts))T\(clock)\(fraction.isEmpty ? "" : "." + fraction)\(zulu(parts))"
        case "kitchen":
            let hour = parts.hour % 12 == 0 ? 12 : parts.hour % 12
            return "\(hour):\(two(parts.minute))\(parts.hour < 12 ? "AM" : "PM")"
        case "stamp": return stamp
        case "stampmilli": return stamp + "." + nine(parts.nanosecond).prefix(3)
        case "stampmicro": return stamp + "." + nine(parts.nanosecond).prefix(6)
        case "stampnano": return stamp + "." + nine(parts.nanosecond)
        default: return nil
        }
    }

    private static func isoDate(_ parts: TimeParts) -> String {
        "\(four(parts.year))-\(two(parts.month))-\(two(parts.day))"
    }

    /// `Z` for UTC, else `±hh:mm` (Go's `Z07:00`).
    private static func zulu(_ parts: TimeParts) -> String {
        parts.utcOffset == 0 ? "Z" : offset(parts, colon: true)
    }

    private static func offset(_ parts: TimeParts, colon: Bool) -> String {
        let minutes = abs(parts.utcOffset) / 60
        return (parts.utcOffset < 0 ? "-" : "+") + two(minutes / 60) + (colon ? ":" : "") + two(minutes % 60)
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func spaced(_ value: Int) -> String { value < 10 ? " \(value)" : "\(value)" }
    private static func four(_ value: Int) -> String {
        String(repeating: "0", count: max(0, 4 - "\(value)".count)) + "\(value)"
    }
    private static func nine(_ value: Int) -> String {
        String(repeating: "0", count: max(0, 9 - "\(value)".count)) + "\(value)"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    private static func monthName(_ month: Int) -> String { months[(month - 1 + 12) % 12] }
    private static func fullWeekdayName(_ day: Int) -> String { weekdays[(day % 7 + 7) % 7] }
    private static func weekdayName(_ day: Int) -> String { String(fullWeekdayName(day).prefix(3)) }
}
