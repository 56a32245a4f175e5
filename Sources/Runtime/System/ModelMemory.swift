/// The memory one model's backend takes: the resident and swapped-out memory of its
/// whole process tree, and its GPU memory when `nvidia-smi` can tell (nil otherwise).
public struct ModelMemory: Sendable, Equatable {
    /// Resident memory of the process tree, bytes.
    public var rssBytes: Int
    /// Swapped-out memory of the process tree, bytes.
    public var swapBytes: Int
    /// GPU memory of the process tree's processes, bytes; nil without `nvidia-smi`.
    public var gpuBytes: Int?

    /// A figure with every field given.
    public init(rssBytes: Int, swapBytes: Int, gpuBytes: Int?) {
        self.rssBytes = rssBytes
        self.swapBytes = swapBytes
        self.gpuBytes = gpuBytes
    }
}

/// Sums a backend's memory over its process tree.
enum ProcessTree {
    /// Every process's parent, read from `/proc/<pid>/stat`.
    static func parents(procRoot: String = "/proc") -> [Int32: Int32] {
        var result: [Int32: Int32] = [:]
        for name in ProcText.list(procRoot) {
            guard let pid = Int32(name), let stat = ProcText.read("\(procRoot)/\(name)/stat"),
                let parent = ProcParsers.parentPID(stat: stat)
            else { continue }
            result[pid] = parent
        }
        return result
    }

    /// The first argument after the program in a `/proc/<pid>/cmdline` (NUL-separated).
    static func firstArgument(cmdline: String) -> String? {
        let parts = cmdline.split(separator: "\u{0}", omittingEmptySubsequences: false)
        return parts.count > 1 ? String(parts[1]) : nil
    }

    /// `root` and every process below it, in `parents` (pid → parent pid).
    static func tree(of root: Int32, parents: [Int32: Int32]) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for (pid, parent) in parents { children[parent, default: []].append(pid) }
        var result: [Int32] = []
        var pending = [root]
        var seen: Set<Int32> = []
        while let pid = pending.popLast() {
            guard seen.insert(pid).inserted else { continue }
            result.append(pid)
            pending += children[pid] ?? []
        }
        return result
    }

    /// The memory of `pids` (RSS and swap from `/proc/<pid>/status`; GPU memory from
    /// `gpuByPID` when given), leaving out processes whose first argument is `skipping`
    /// (swap's own watchdog beside each backend).
    static func memory(
        of pids: [Int32], gpuByPID: [Int32: Int]?, skipping: String? = nil, procRoot: String = "/proc"
    ) -> ModelMemory {
        var memory = ModelMemory(rssBytes: 0, swapBytes: 0, gpuBytes: gpuByPID == nil ? nil : 0)
        for pid in pids {
            if let skipping, firstArgument(cmdline: ProcText.read("\(procRoot)/\(pid)/cmdline") ?? "") == skipping {
                continue
            }
            if let status = ProcText.read("\(procRoot)/\(pid)/status") {
                let figures = ProcParsers.memory(status: status)
                memory.rssBytes += figures.rss
                memory.swapBytes += figures.swap
            }
            if let gpu = gpuByPID?[pid] { memory.gpuBytes? += gpu }
        }
        return memory
    }
}
