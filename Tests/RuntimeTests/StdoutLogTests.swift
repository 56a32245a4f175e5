import FoundationEssentials
import Testing

@testable import Runtime

/// `logToStdout` and `logTimeFormat`: which lines reach stdout and how they are stamped.
struct StdoutLogTests {
    /// Tuesday 2 January 2006, 15:04:05.123456789 at UTC-7: Go's reference time.
    static let reference = TimeParts(
        year: 2006, month: 1, day: 2, weekday: 1, hour: 15, minute: 4, second: 5, nanosecond: 123_456_789,
        utcOffset: -7 * 3600, zone: "MST")

    @Test(
        "every layout llama-swap accepts, on Go's reference time",
        arguments: [
            ("ansic", "Mon Jan  2 15:04:05 2006"),
            ("unixdate", "Mon Jan  2 15:04:05 MST 2006"),
            ("rubydate", "Mon Jan 02 15:04:05 -0700 2006"),
            ("rfc822", "02 Jan 06 15:04 MST"),
            ("rfc822z", "02 Jan 06 15:04 -0700"),
            ("rfc850", "Monday, 02-Jan-06 15:04:05 MST"),
            ("rfc1123", "Mon, 02 Jan 2006 15:04:05 MST"),
            ("rfc1123z", "Mon, 02 Jan 2006 15:04:05 -0700"),
            ("rfc3339", "2006-01-02T15:04:05-07:00"),
            ("rfc3339nano", "2006-01-02T15:04:05.123456789-07:00"),
            ("kitchen", "3:04PM"),
            ("stamp", "Jan  2 15:04:05"),
            ("stampmilli", "Jan  2 15:04:05.123"),
            ("stampmicro", "Jan  2 15:04:05.123456"),
            ("stampnano", "Jan  2 15:04:05.123456789"),
        ])
    func layouts(name: String, expected: String) {
        #expect(GoTimeLayout.format(Self.reference, layout: name) == expected)
    }

    @Test("UTC is Z in RFC 3339; trailing zeros of nanoseconds go; unknown layouts write none")
    func details() {
        var utc = Self.reference
        utc.utcOffset = 0
        utc.nanosecond = 500_000_000
        #expect(GoTimeLayout.format(utc, layout: "rfc3339") == "2006-01-02T15:04:05Z")
        #expect(GoTimeLayout.format(utc, layout: "rfc3339nano") == "2006-01-02T15:04:05.5Z")
        utc.hour = 0
        #expect(GoTimeLayout.format(utc, layout: "kitchen") == "12:04AM")
        #expect(GoTimeLayout.format(utc, layout: "") == nil)
        #expect(GoTimeLayout.format(utc, layout: "iso") == nil)
    }

    @Test("proxy, upstream, both and none pick the sources; a format stamps each line")
    func sources() {
        let proxy = LogLine(timestamp: Date(), source: LogHub.proxySource, text: "swapping", sequence: 1)
        let backend = LogLine(timestamp: Date(), source: "coder", text: "loading weights", sequence: 2)
        func shown(_ sources: String) -> [String] {
            [proxy, backend].compactMap { StdoutLogSettings(sources: sources, timeFormat: nil).rendered($0) }
        }
        #expect(shown("proxy") == ["swapping"])
        #expect(shown("upstream") == ["loading weights"])
        #expect(shown("both") == ["swapping", "loading weights"])
        #expect(shown("none") == [])
        #expect(StdoutLogSettings(sources: "proxy", timeFormat: "").rendered(proxy) == "swapping")
        let stamped = StdoutLogSettings(sources: "proxy", timeFormat: "rfc3339").rendered(proxy) ?? ""
        #expect(stamped.hasSuffix(" swapping"))
        #expect(stamped.contains(#/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d) swapping$/#), "\(stamped)")
    }
}
