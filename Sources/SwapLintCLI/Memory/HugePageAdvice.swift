/// Whether `swap-lint` should run again with glibc told to use transparent huge pages
/// for its heap, and with which `GLIBC_TUNABLES`.
///
/// Compiling a large config touches tens of megabytes of fresh heap; on a kernel whose
/// transparent huge pages are in `madvise` mode every 4 KiB page of it is one page
/// fault, which on a virtual machine is a large share of the run (Benchmarks/README.md).
/// glibc's `glibc.malloc.hugetlb=1` tunable makes malloc advise huge pages for its
/// arenas, but glibc reads tunables only when a process starts, so the command line
/// re-executes itself once with the tunable added. Small inputs are not worth the
/// second start; kernels in `always` mode already give huge pages and in `never` mode
/// give none.
///
/// The heap also grows 32 MiB at a time (`glibc.malloc.top_pad`) instead of 128 KiB: the
/// kernel gives a huge page only for a 2 MiB range that lies wholly inside the heap when
/// it is first touched, which small steps rarely leave, so most of the heap would still
/// fault 4 KiB at a time (about 1700 faults against under 600 on the 1000-model config).
/// Only the pages touched become resident.
public enum HugePageAdvice {
    /// Inputs smaller than this many bytes in total run as they are.
    public static let minimumInputBytes = 256 * 1024

    /// The tunable this advice adds, and whose presence means "already decided".
    public static let tunable = "glibc.malloc.hugetlb=1"

    /// How far the heap grows at a time, added unless the user set it.
    public static let topPad = "glibc.malloc.top_pad=33554432"

    /// The `GLIBC_TUNABLES` value to re-execute with, or nil to go on in this process.
    ///
    /// The inputs are asked for in order of cost, and only as far as needed: the
    /// restarted process stops at its own tunable without touching the file system.
    ///
    /// - Parameters:
    ///   - currentTunables: `GLIBC_TUNABLES` as this process got it, if set.
    ///   - inputBytes: the total size of the config files, or nil when one of them is
    ///     not a regular file (a pipe cannot be read twice).
    ///   - kernelMode: the contents of `/sys/kernel/mm/transparent_hugepage/enabled`
    ///     (the selected mode is in brackets), or nil when it cannot be read.
    public static func tunables(
        currentTunables: String?, inputBytes: @autoclosure () -> Int?, kernelMode: @autoclosure () -> String?
    ) -> String? {
        // Set already, by the user or by the first run: never re-execute twice.
        if let currentTunables, currentTunables.contains("glibc.malloc.hugetlb") { return nil }
        guard let bytes = inputBytes(), bytes >= minimumInputBytes else { return nil }
        guard let mode = kernelMode(), selectedMode(mode) == "madvise" else { return nil }
        let current = currentTunables ?? ""
        var parts = current.isEmpty ? [] : [current]
        parts.append(tunable)
        if !current.contains("glibc.malloc.top_pad") { parts.append(topPad) }
        return parts.joined(separator: ":")
    }

    /// The bracketed word of a sysfs mode line: `madvise` in `always [madvise] never`.
    static func selectedMode(_ line: String) -> Substring? {
        guard let open = line.firstIndex(of: "["), let close = line[open...].firstIndex(of: "]") else {
            return nil
        }
        return line[line.index(after: open)..<close]
    }
}
