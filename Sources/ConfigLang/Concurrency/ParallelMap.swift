import Dispatch

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
    ///
    /// Each result is written straight into its place in the returned array, so the
    /// results are neither copied nor released on the way back (for model plans and
    /// expanded nodes that saves a retain and a release per reference they hold, on
    /// memory another core wrote).
    static func map<T: Sendable>(_ count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        map(count, threshold: threshold, transform)
    }

    /// The same, for a few large jobs: in parallel from `threshold` jobs on.
    static func map<T: Sendable>(_ count: Int, threshold: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        if count < threshold || cores == 1 {
            return (0..<count).map(transform)
        }
        // A few chunks per core so an unlucky slow chunk does not leave a core idle.
        let chunks = min(count, cores * 4)
        return [T](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            let slots = Slots(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (count * chunk / chunks)..<(count * (chunk + 1) / chunks) {
                    slots.initialize(index, to: transform(index))
                }
            }
            initializedCount = count
        }
    }
}

/// The result array's storage, shared by the chunks: each chunk initializes its own
/// disjoint range of indices, and the array takes the elements over only after
/// `concurrentPerform` has returned.
private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>

    init(_ buffer: UnsafeMutableBufferPointer<T>) {
        base = buffer.baseAddress!
    }

    func initialize(_ index: Int, to value: consuming T) {
        (base + index).initialize(to: value)
    }
}
