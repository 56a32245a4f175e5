/// Turns a burst of relevant events into one ``ConfigChange``: a trailing debounce.
///
/// A plain state machine that returns what to do; ``ConfigWatcher`` runs the timer it asks
/// for. Every relevant event re-arms the quiet period; when a quiet period ends with nothing
/// newer, the accumulated change is emitted. A file rewritten without pause still produces a
/// change every `maximumDelay`, so a busy writer cannot postpone a reload forever.
struct ConfigChangeCoalescer {
    /// What the caller must do next.
    enum Action: Equatable {
        /// Nothing.
        case none
        /// Start (or restart) the quiet-period timer and report `generation` when it ends.
        case armTimer(generation: UInt64)
        /// Deliver this change; the coalescer is empty again.
        case emit(ConfigChange)
    }

    /// The longest time a pending change waits for a quiet period.
    let maximumDelay: Duration

    private var paths: [String] = []
    private var overflowed = false
    private var firstEvent: ContinuousClock.Instant?
    private var generation: UInt64 = 0

    init(maximumDelay: Duration) {
        self.maximumDelay = maximumDelay
    }

    /// Whether a change is waiting for its quiet period.
    var isPending: Bool { firstEvent != nil }

    /// Records one relevant event at `now`; `path` is `nil` when only `overflowed` is known.
    mutating func record(path: String?, overflowed: Bool, at now: ContinuousClock.Instant) -> Action {
        if let path, !paths.contains(path) {
            paths.append(path)
        }
        self.overflowed = self.overflowed || overflowed
        let first = firstEvent ?? now
        firstEvent = first
        generation &+= 1
        if now - first >= maximumDelay {
            return .emit(takeChange())
        }
        return .armTimer(generation: generation)
    }

    /// The quiet period armed as `generation` has ended.
    mutating func quietPeriodElapsed(generation: UInt64) -> Action {
        guard isPending, generation == self.generation else { return .none }
        return .emit(takeChange())
    }

    private mutating func takeChange() -> ConfigChange {
        let change = ConfigChange(paths: paths, overflowed: overflowed)
        paths = []
        overflowed = false
        firstEvent = nil
        generation &+= 1
        return change
    }
}
