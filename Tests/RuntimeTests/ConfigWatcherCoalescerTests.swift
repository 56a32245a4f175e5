import Testing

@testable import Runtime

/// The debounce as a state machine: bursts become one change, stale timers do nothing.
@Suite("ConfigWatcher coalescing")
struct ConfigWatcherCoalescerTests {
    let start = ContinuousClock.now

    @Test("a burst re-arms the timer; only the latest timer emits, once")
    func burst() {
        var coalescer = ConfigChangeCoalescer(maximumDelay: .seconds(2))
        var generations: [UInt64] = []
        for index in 0..<4 {
            let action = coalescer.record(
                path: index == 2 ? "/b.yaml" : "/a.yaml", overflowed: false, at: start + .milliseconds(index * 10))
            guard case .armTimer(let generation) = action else {
                Issue.record("expected a timer, got \(action)")
                return
            }
            generations.append(generation)
        }
        #expect(Set(generations).count == 4)
        for stale in generations.dropLast() {
            #expect(coalescer.quietPeriodElapsed(generation: stale) == .none)
        }
        #expect(
            coalescer.quietPeriodElapsed(generation: generations.last!)
                == .emit(ConfigChange(paths: ["/a.yaml", "/b.yaml"])))
        #expect(coalescer.quietPeriodElapsed(generation: generations.last!) == .none)
        #expect(!coalescer.isPending)
    }

    @Test("an overflow marks the whole change")
    func overflow() {
        var coalescer = ConfigChangeCoalescer(maximumDelay: .seconds(2))
        _ = coalescer.record(path: "/a.yaml", overflowed: false, at: start)
        guard case .armTimer(let generation) = coalescer.record(path: nil, overflowed: true, at: start) else {
            Issue.record("expected a timer")
            return
        }
        #expect(
            coalescer.quietPeriodElapsed(generation: generation)
                == .emit(ConfigChange(paths: ["/a.yaml"], overflowed: true)))
    }

    @Test("a writer that never pauses still gets a change every maximum delay")
    func maximumDelay() {
        var coalescer = ConfigChangeCoalescer(maximumDelay: .seconds(1))
        var emitted: [ConfigChange] = []
        for tick in 0...25 {
            if case .emit(let change) = coalescer.record(
                path: "/a.yaml", overflowed: false, at: start + .milliseconds(tick * 50))
            {
                emitted.append(change)
            }
        }
        #expect(emitted == [ConfigChange(paths: ["/a.yaml"])])
        #expect(coalescer.isPending)
    }
}
