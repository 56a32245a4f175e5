import Testing

@testable import Runtime

/// The log hub's rings, sources, snapshots and live subscriptions, and the line
/// splitter that feeds it.
struct LogHubTests {
    @Test func snapshotPerSourceAndMergedInArrivalOrder() async {
        let hub = LogHub()
        await hub.append("proxy 1", source: "proxy")
        await hub.append("a 1", source: "a")
        await hub.append("b 1", source: "b")
        await hub.append("proxy 2", source: "proxy")
        await hub.append("a 2", source: "a")

        #expect(await hub.snapshot(source: "a").map(\.text) == ["a 1", "a 2"])
        #expect(await hub.snapshot(source: "proxy").map(\.text) == ["proxy 1", "proxy 2"])
        #expect(await hub.snapshot(source: "upstream").map(\.text) == ["a 1", "b 1", "a 2"])
        #expect(await hub.snapshot(source: "upstream").map(\.source) == ["a", "b", "a"])
        #expect(await hub.snapshot(source: nil).map(\.text) == ["proxy 1", "a 1", "b 1", "proxy 2", "a 2"])
        #expect(await hub.snapshot(source: "nobody").isEmpty)
        let sequences = await hub.snapshot(source: nil).map(\.sequence)
        #expect(sequences == sequences.sorted())
    }

    @Test func ringKeepsTheNewestLinesPerSource() async {
        let hub = LogHub(maxLines: 3)
        for index in 1...10 {
            await hub.append("a \(index)", source: "a")
        }
        await hub.append("b 1", source: "b")
        #expect(await hub.snapshot(source: "a").map(\.text) == ["a 8", "a 9", "a 10"])
        #expect(await hub.snapshot(source: "b").map(\.text) == ["b 1"])
    }

    @Test func ringIsBoundedInBytes() {
        var ring = LogRing(maxLines: 100, maxBytes: 10)
        for (index, text) in ["aaaa", "bbbb", "cccc", "dd"].enumerated() {
            ring.append(LogLine(timestamp: .now, source: "s", text: text, sequence: UInt64(index)))
        }
        #expect(ring.lines.map(\.text) == ["bbbb", "cccc", "dd"])
        #expect(ring.byteCount == 10)
        // A line bigger than the whole budget is kept, alone.
        ring.append(LogLine(timestamp: .now, source: "s", text: String(repeating: "x", count: 50), sequence: 9))
        #expect(ring.lines.map(\.text.count) == [50])
        #expect(ring.count == 1)
    }

    @Test func ringStaysCorrectOverManyWraps() {
        var ring = LogRing(maxLines: 7, maxBytes: 1 << 20)
        for index in 0..<1000 {
            ring.append(LogLine(timestamp: .now, source: "s", text: "\(index)", sequence: UInt64(index)))
        }
        #expect(ring.lines.map(\.text) == (993..<1000).map { "\($0)" })
    }

    @Test func subscribersGetMatchingLinesFromNowOn() async {
        let hub = LogHub()
        await hub.append("before", source: "a")
        let all = await hub.subscribe(source: nil)
        let onlyA = await hub.subscribe(source: "a")
        let upstream = await hub.subscribe(source: "upstream")
        await hub.append("a 1", source: "a")
        await hub.append("proxy 1", source: "proxy")
        await hub.append("b 1", source: "b")

        #expect(await Self.take(3, from: all).map(\.text) == ["a 1", "proxy 1", "b 1"])
        #expect(await Self.take(1, from: onlyA).map(\.text) == ["a 1"])
        #expect(await Self.take(2, from: upstream).map(\.text) == ["a 1", "b 1"])
    }

    @Test func endingTheIterationUnsubscribes() async {
        let hub = LogHub()
        do {
            let stream = await hub.subscribe(source: "a")
            #expect(await hub.subscriberCount == 1)
            let reader = Task {
                for await line in stream where line.text == "stop" {
                    break
                }
            }
            await hub.append("stop", source: "a")
            await reader.value
        }
        let gone = await BackendTestSupport.eventually { await hub.subscriberCount == 0 }
        #expect(gone)
    }

    @Test func splitterCutsLinesAcrossChunks() {
        var splitter = LogLineSplitter()
        #expect(splitter.append(Array("one\ntw".utf8)) == ["one"])
        #expect(splitter.append(Array("o\r\n\nthr".utf8)) == ["two", ""])
        #expect(splitter.finish() == "thr")
        #expect(splitter.finish() == nil)
    }

    @Test func splitterBoundsLongLinesAndRepairsUTF8() {
        var splitter = LogLineSplitter(maxLineLength: 4)
        #expect(splitter.append(Array("abcdefghij\n".utf8)) == ["abcd", "efgh", "ij"])
        #expect(splitter.append([0x66, 0xFF, 0x0A]) == ["f\u{FFFD}"])
    }

    static func take(_ count: Int, from stream: AsyncStream<LogLine>) async -> [LogLine] {
        var lines: [LogLine] = []
        for await line in stream {
            lines.append(line)
            if lines.count == count { break }
        }
        return lines
    }
}
