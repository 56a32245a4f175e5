import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps an index range on every core, for the compiler's per-model stages (macro
/// expansion, typed checks, model plans), which share nothing while they run.
///
/// The result is in index order whatever the scheduling, so output stays
/// deterministic. Small inputs run inline: starting threads costs more than it saves.
enum ParallelMap {
    /// Below this many items the work runs on the calling thread.
    static let threshold = 64

    /// The cores this process may use.
    static let cores: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// `transform(index)` for every index in `0..<count`, in order.
    static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        if count < threshold || cores == 1 {
            return (0..<count).map(transform)
        }
        // A few chunks per core so an unlucky slow chunk does not leave a core idle.
        let chunks = min(count, cores * 4)
        let results = ChunkResults<T>(chunks: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let range = (count * chunk / chunks)..<(count * (chunk + 1) / chunks)
            results.store(range.map(transform), at: chunk)
        }
        return results.joined()
    }
}

/// Each chunk's results, filled from several threads.
private final class ChunkResults<T: Sendable>: Sendable {
    private let slots: Mutex<[[T]]>

    init(chunks: Int) {
        slots = Mutex(Array(repeating: [], count: chunks))
    }

    func store(_ values: [T], at chunk: Int) {
        slots.withLock { $0[chunk] = values }
    }

    func joined() -> [T] {
        slots.withLock { Array($0.joined()) }
    }
}
