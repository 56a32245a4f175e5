import FoundationEssentials
import Testing

@testable import Runtime

@Suite("RFC 3339 times")
struct RFC3339Tests {
    @Test("a date is written in UTC with milliseconds, or whole seconds when asked")
    func writes() {
        let date = Date(timeIntervalSince1970: 1_796_600_000.5)
        #expect(RFC3339.string(date) == "2026-12-06T23:33:20.500Z")
        #expect(RFC3339.string(date, milliseconds: false) == "2026-12-06T23:33:20Z")
        #expect(RFC3339.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        // Milliseconds are cut, not rounded up into the next second.
        #expect(RFC3339.string(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:00:59.999Z")
        // Before 1970 the fraction still counts forward from the whole second below.
        #expect(RFC3339.string(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(RFC3339.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
    }

    @Test("what is written reads back to the same millisecond")
    func roundTrip() {
        for seconds in [0.0, 1_796_600_000.123, 951_782_400.999, 4_102_444_799.5] {
            let date = Date(timeIntervalSince1970: seconds)
            let read = RFC3339.date(RFC3339.string(date))
            #expect(read.map { abs($0.timeIntervalSince1970 - seconds) < 0.001 } == true, "\(seconds)")
        }
    }

    @Test("offsets and any number of fraction digits are read")
    func reads() {
        let instant = Date(timeIntervalSince1970: 1_796_600_000)
        #expect(RFC3339.date("2026-12-06T23:33:20Z") == instant)
        #expect(RFC3339.date("2026-12-07T00:33:20+01:00") == instant)
        #expect(RFC3339.date("2026-12-06T18:03:20-05:30") == instant)
        #expect(RFC3339.date("2026-12-06T23:33:20.5Z") == Date(timeIntervalSince1970: 1_796_600_000.5))
        let nanos = RFC3339.date("2026-12-06T23:33:20.123456789Z")
        #expect(nanos.map { abs($0.timeIntervalSince1970 - 1_796_600_000.123456789) < 1e-6 } == true)
    }

    @Test(
        "anything else is nil",
        arguments: [
            "", "yesterday", "1796600000", "2026-12-06", "2026-12-06T23:33:20", "2026-12-06T23:33:20.Z",
            "2026-13-06T23:33:20Z",
        ])
    func rejects(text: String) {
        #expect(RFC3339.date(text) == nil)
    }
}
