#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// swap-server's own process figures for `/metrics` (Prometheus' standard `process_*`
/// families): resident memory, CPU seconds, open descriptors and their limit, start time.
struct ProcessFigures: Sendable, Equatable {
    var residentBytes: Int
    var virtualBytes: Int
    var cpuSeconds: Double
    var openDescriptors: Int
    var maxDescriptors: Int
    var startTimeSeconds: Double

    /// This process's figures, read from `/proc/self`.
    static func current() -> ProcessFigures? {
        guard let stat = ProcText.read("/proc/self/stat"), let status = ProcText.read("/proc/self/status"),
            let procStat = ProcText.read("/proc/stat")
        else { return nil }
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return parse(
            stat: stat, status: status, procStat: procStat, ticksPerSecond: ticks > 0 ? ticks : 100,
            openDescriptors: ProcText.list("/proc/self/fd").count, maxDescriptors: Int(limit.rlim_cur))
    }

    /// The figures from the texts of `/proc/self/stat`, `/proc/self/status` and `/proc/stat`.
    static func parse(
        stat: String, status: String, procStat: String, ticksPerSecond: Double, openDescriptors: Int,
        maxDescriptors: Int
    ) -> ProcessFigures? {
        guard let ticks = ProcParsers.cpuTicks(stat: stat), let boot = ProcParsers.bootTime(procStat: procStat)
        else { return nil }
        let memory = ProcParsers.memory(status: status)
        let virtual = ProcParsers.memInfo(status)["VmSize"] ?? 0
        return ProcessFigures(
            residentBytes: memory.rss, virtualBytes: virtual, cpuSeconds: Double(ticks.cpu) / ticksPerSecond,
            openDescriptors: openDescriptors, maxDescriptors: maxDescriptors,
            startTimeSeconds: Double(boot) + Double(ticks.start) / ticksPerSecond)
    }
}
