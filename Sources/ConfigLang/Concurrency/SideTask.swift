import Dispatch
import Synchronization

/// One piece of work run on another thread while the calling thread does its own, for
/// a stage whose result nothing else needs until later (the reference check while
/// macros expand). Small inputs run it inline: a thread hop costs more than it saves.
enum SideTask {
    /// `side()` and `main()`, `side` on another thread when `worthIt` and there is a
    /// second core; returns both results once both are done.
    static func run<Side: Sendable, Main>(
        worthIt: Bool, _ side: @escaping @Sendable () -> Side, while main: () -> Main
    ) -> (side: Side, main: Main) {
        guard worthIt, ParallelMap.cores > 1 else { return (side(), main()) }
        let result = Mutex<Side?>(nil)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let value = side()
            result.withLock { $0 = value }
            done.signal()
        }
        let mainResult = main()
        done.wait()
        return (result.withLock { $0.take()! }, mainResult)
    }
}
