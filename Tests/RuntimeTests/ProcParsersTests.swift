import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif
import Testing

@testable import Runtime

/// The parsers of `/proc`, `/etc/os-release` and `nvidia-smi` texts, on fixtures copied
/// from real machines (a two-socket x86 server, a container, a GPU host).
struct ProcParsersTests {
    static let status = """
        Name:\tllama-server
        Umask:\t0022
        State:\tS (sleeping)
        Pid:\t4242
        PPid:\t4200
        VmPeak:\t 9051236 kB
        VmSize:\t 9047140 kB
        VmRSS:\t 5213044 kB
        RssAnon:\t  120412 kB
        VmSwap:\t   20480 kB
        Threads:\t18
        """

    /// A command name with spaces and parentheses: only the last `)` ends it.
    static let stat =
        "4242 (llama (server) x) S 4200 4242 4200 0 -1 4194560 2317 0 3 0 1523 377 0 0 20 0 18 0 1109996 9264271360 "
        + "1303261 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n"

    static let procStat = """
        cpu  1351307 146288 218593 459208 2360 0 31226 1966 0 0
        cpu0 600 0 200 1000 200 0 0 0 0 0
        cpu1 100 0 100 1800 0 0 0 0 0 0
        intr 1 2 3
        ctxt 98765
        btime 1796600000
        processes 9001
        """

    static let meminfo = """
        MemTotal:       24688928 kB
        MemFree:         2231044 kB
        MemAvailable:   22272824 kB
        Buffers:          102400 kB
        SwapTotal:       8388604 kB
        SwapFree:        8126460 kB
        """

    static let netdev = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo: 27994784046 80774120    0    0    0     0          0         0 27994784046 80774120    0    0    0     0       0          0
          eth0: 604998876  401225    0    0    0     0          0         0   647168    5120    0    0    0     0       0          0
        """

    static let cpuinfo = """
        processor\t: 0
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz
        physical id\t: 0
        core id\t\t: 0

        processor\t: 1
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz
        physical id\t: 0
        core id\t\t: 0

        processor\t: 2
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz
        physical id\t: 1
        core id\t\t: 0

        processor\t: 3
        vendor_id\t: GenuineIntel
        model name\t: Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz
        physical id\t: 1
        core id\t\t: 1
        """

    static let osRelease = """
        PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
        NAME="Debian GNU/Linux"
        VERSION_ID="12"
        # a comment
        ID=debian
        """

    @Test("VmRSS and VmSwap of a status file, in bytes; none for a kernel thread")
    func memory() {
        let figures = ProcParsers.memory(status: Self.status)
        #expect(figures.rss == 5_213_044 * 1024)
        #expect(figures.swap == 20480 * 1024)
        let kernelThread = ProcParsers.memory(status: "Name:\tkworker/0:1\nState:\tI (idle)\nPPid:\t2\n")
        #expect(kernelThread.rss == 0 && kernelThread.swap == 0)
    }

    @Test("stat fields after a command name holding spaces and parentheses")
    func stat() {
        #expect(ProcParsers.parentPID(stat: Self.stat) == 4200)
        let ticks = ProcParsers.cpuTicks(stat: Self.stat)
        #expect(ticks?.cpu == 1523 + 377)
        #expect(ticks?.start == 1_109_996)
        #expect(ProcParsers.parentPID(stat: "garbage") == nil)
    }

    @Test("per-core busy time from /proc/stat, boot time, and utilisation between two samples")
    func cpu() {
        let cores = ProcParsers.coreTimes(procStat: Self.procStat)
        #expect(cores == [CPUTimes(busy: 800, total: 2000), CPUTimes(busy: 200, total: 2000)])
        #expect(ProcParsers.bootTime(procStat: Self.procStat) == 1_796_600_000)
        let later = CPUTimes(busy: 1100, total: 2400)
        #expect(later.utilisation(since: cores[0]) == 75)
        #expect(cores[0].utilisation(since: cores[0]) == 0, "no time passed")
    }

    @Test("meminfo in bytes, load averages, and network counters per interface")
    func systemFiles() {
        let memory = ProcParsers.memInfo(Self.meminfo)
        #expect(memory["MemTotal"] == 24_688_928 * 1024)
        #expect(memory["SwapFree"] == 8_126_460 * 1024)
        let load = ProcParsers.loadAverage("4.73 3.80 3.04 3/412 9001\n")
        #expect(load?.0 == 4.73 && load?.1 == 3.8 && load?.2 == 3.04)
        #expect(ProcParsers.loadAverage("") == nil)
        #expect(
            ProcParsers.networkDevices(Self.netdev) == [
                NetworkIO(name: "lo", bytesReceived: 27_994_784_046, bytesSent: 27_994_784_046),
                NetworkIO(name: "eth0", bytesReceived: 604_998_876, bytesSent: 647_168),
            ])
    }

    @Test("cpuinfo: two sockets with three physical cores and four threads")
    func cpuInfo() {
        let cpu = ProcParsers.cpuInfo(Self.cpuinfo)
        #expect(cpu.vendor == "GenuineIntel")
        #expect(cpu.model == "Intel(R) Xeon(R) Gold 6130 CPU @ 2.10GHz")
        #expect(cpu.sockets == 2)
        #expect(cpu.physicalCores == 3)
        #expect(cpu.logicalThreads == 4)
    }

    @Test("os-release values without their quotes; comments skipped")
    func osRelease() {
        let fields = ProcParsers.osRelease(Self.osRelease)
        #expect(fields["NAME"] == "Debian GNU/Linux")
        #expect(fields["VERSION_ID"] == "12")
        #expect(fields["ID"] == "debian")
        #expect(fields.count == 4)
    }

    @Test("nvidia-smi compute apps: MiB per pid, summed when a pid uses two GPUs")
    func gpuMemory() {
        let csv = "4242, 20480\n4243, 512\n4242, 1024\n[N/A], 5\n"
        #expect(ProcParsers.gpuMemoryByPID(csv) == [4242: 21504 << 20, 4243: 512 << 20])
    }

    @Test("a process tree: the root and every descendant, not its siblings or parent")
    func tree() {
        let parents: [Int32: Int32] = [1: 0, 100: 1, 200: 100, 201: 100, 300: 200, 400: 1, 500: 400]
        #expect(Set(ProcessTree.tree(of: 100, parents: parents)) == [100, 200, 201, 300])
        #expect(ProcessTree.tree(of: 999, parents: parents) == [999])
    }

    @Test("this process's tree sums at least its own resident memory")
    func liveTree() {
        let me = getpid()
        let parents = ProcessTree.parents()
        #expect(parents[me] == getppid())
        let memory = ProcessTree.memory(of: ProcessTree.tree(of: me, parents: parents), gpuByPID: nil)
        #expect(memory.rssBytes > 1 << 20)
        #expect(memory.gpuBytes == nil)
    }

    @Test("swap-server's own figures from its stat, status and /proc/stat")
    func processFigures() {
        let figures = ProcessFigures.parse(
            stat: Self.stat, status: Self.status, procStat: Self.procStat, ticksPerSecond: 100, openDescriptors: 12,
            maxDescriptors: 1024)
        #expect(figures?.cpuSeconds == 19)
        #expect(figures?.residentBytes == 5_213_044 * 1024)
        #expect(figures?.virtualBytes == 9_047_140 * 1024)
        #expect(figures?.startTimeSeconds == 1_796_600_000 + 11_099.96)
        #expect(figures?.openDescriptors == 12)
    }

    @Test("SysStat and GpuStat in llama-swap's shape")
    func performanceShapes() throws {
        let time = Date(timeIntervalSince1970: 1_796_600_000)
        let stat = SystemStat.json(
            at: time, cores: [75.04, 10], memInfo: ProcParsers.memInfo(Self.meminfo), load: (1, 2, 3),
            network: ProcParsers.networkDevices(Self.netdev))
        guard case .object(let fields) = stat else { throw Failure("not an object") }
        #expect(fields["timestamp"] == .string("2026-12-06T23:33:20.000Z"))
        #expect(fields["cpu_util_per_core"] == .array([.double(75), .double(10)]))
        #expect(fields["mem_total_mb"] == .integer(24110))
        #expect(fields["mem_used_mb"] == .integer((24_688_928 - 22_272_824) / 1024))
        #expect(fields["swap_used_mb"] == .integer(256))
        #expect(fields["load_avg_15"] == .double(3))
        let gpus = SystemStat.gpus(
            csv: "0, NVIDIA GeForce RTX 4090, GPU-5a1c, 45, [N/A], 97, 61, 20480, 24564, 30, 310.52\n", at: time)
        guard case .object(let gpu) = gpus.first else { throw Failure("no GPU row") }
        #expect(gpu["name"] == .string("NVIDIA GeForce RTX 4090"))
        #expect(gpu["uuid"] == .string("GPU-5a1c"))
        #expect(gpu["vram_temp_c"] == .double(0), "[N/A] is 0")
        #expect(gpu["mem_used_mb"] == .double(20480))
        #expect(gpu["power_draw_w"] == .double(310.52))
        #expect(SystemStat.gpus(csv: "", at: time).isEmpty)
    }

    @Test("`after` takes RFC 3339 with or without fractional seconds, and nothing else")
    func times() {
        #expect(RFC3339.date("2026-12-06T23:33:20Z") == Date(timeIntervalSince1970: 1_796_600_000))
        #expect(RFC3339.date("2026-12-06T23:33:20.500Z") == Date(timeIntervalSince1970: 1_796_600_000.5))
        #expect(RFC3339.date("yesterday") == nil)
        #expect(RFC3339.date("1796600000") == nil)
    }

    @Test("the hardware snapshot in llama-swap's shape, from fixtures")
    func hardware() throws {
        let snapshot = HardwareSnapshot.build(
            capturedAt: Date(timeIntervalSince1970: 1_796_600_000), machine: "x86_64", kernel: "6.1.0-18-amd64",
            system: "Linux", osRelease: Self.osRelease, cpuInfo: Self.cpuinfo, memInfo: Self.meminfo,
            environment: "container", nvidiaGPUs: "0, NVIDIA GeForce RTX 4090, 24564, 550.54.14, 450.00\n")
        guard case .object(let fields) = snapshot, case .object(let cpu) = fields["cpu"],
            case .object(let os) = fields["operating_system"], case .array(let accelerators) = fields["accelerators"],
            case .object(let gpu) = accelerators.first, case .object(let gpuMemory) = gpu["memory"]
        else { throw Failure("unexpected shape: \(snapshot.serialized())") }
        #expect(fields["schema_version"] == .integer(1))
        #expect(cpu["socket_count"] == .integer(2) && cpu["logical_thread_count"] == .integer(4))
        #expect(os["name"] == .string("Debian GNU/Linux") && os["kernel"] == .string("6.1.0-18-amd64"))
        #expect(fields["memory"] == .object(["capacity_bytes": .integer(24_688_928 * 1024)]))
        #expect(gpu["model"] == .string("NVIDIA GeForce RTX 4090"))
        #expect(gpuMemory["capacity_bytes"] == .integer(24564 << 20))
        #expect(gpu["power_limit_watts"] == .double(450))
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

/// The ring of `/api/performance`: bounded to one hour of samples, filtered by `after`.
struct PerformanceRingTests {
    @Test("an hour of samples at most: every 30 min keeps two; `after` names a sample by its timestamp")
    func ring() async throws {
        let monitor = PerformanceMonitor(every: .seconds(1800))
        #expect(monitor.capacity == 2)
        for _ in 0..<3 { await monitor.sample() }
        guard case .object(let all) = monitor.samples(after: nil), case .array(let stats) = all["sys_stats"],
            case .object(let last) = stats.last, case .string(let stamp) = last["timestamp"]
        else { throw ProcParsersTests.Failure("unexpected shape") }
        #expect(stats.count == 2)
        #expect(all["enabled"] == .bool(true))
        guard case .object(let newer) = monitor.samples(after: RFC3339.date(stamp)) else { return }
        #expect(newer["sys_stats"] == .array([]))
    }
}

/// The memory sampler over real processes: this test process stands in for a backend.
struct MemorySamplerTests {
    @Test("a sample sums the named process's tree, is kept as the latest and reaches subscribers")
    func sample() async throws {
        let me = getpid()
        let sampler = MemorySampler { ["self": me] }
        #expect(sampler.latest.isEmpty, "nothing before the first sample")
        let updates = sampler.subscribe()
        let sample = await sampler.sample()
        let memory = try #require(sample["self"])
        #expect(memory.rssBytes > 1 << 20)
        #expect(sampler.latest == sample)
        var iterator = updates.makeAsyncIterator()
        #expect(await iterator.next() == sample, "the subscriber got the same sample")
    }

    @Test("no running backend: an empty sample, and no process is read")
    func empty() async {
        let sampler = MemorySampler { [:] }
        #expect(await sampler.sample().isEmpty)
    }
}

/// AMD GPUs from `rocm-smi --json`, on a fixture in the shape ROCm 6 prints (labels as
/// keys, every value a string, the driver under `system`). Not run against a real AMD GPU.
struct RocmSMITests {
    static let json = """
        {"card0": {"Temperature (Sensor edge) (C)": "41.0", "Temperature (Sensor junction) (C)": "44.0",
        "Temperature (Sensor memory) (C)": "52.0", "Current Socket Graphics Package Power (W)": "35.0",
        "Max Graphics Package Power (W)": "303.0", "GPU use (%)": "87", "GPU Memory Allocated (VRAM%)": "61",
        "VRAM Total Memory (B)": "25753026560", "VRAM Total Used Memory (B)": "15728640000",
        "Fan speed (%)": "23.14", "Card Series": "Radeon RX 7900 XTX", "Card Vendor": "Advanced Micro Devices, Inc.",
        "Unique ID": "0x1c2d3e4f5a6b7c8d", "GFX Version": "gfx1100"},
        "card1": {"Card Series": "Radeon Pro W7800", "VRAM Total Memory (B)": "34342961152"},
        "system": {"Driver version": "6.8.5"}}
        """

    @Test("GpuStat per card, in card order")
    func stats() throws {
        let stats = RocmSMI.gpuStats(Self.json, timestamp: "t")
        #expect(stats.count == 2)
        guard case .object(let first) = stats.first else { throw ProcParsersTests.Failure("no card") }
        #expect(first["id"] == .integer(0))
        #expect(first["name"] == .string("Radeon RX 7900 XTX"))
        #expect(first["temp_c"] == .double(41))
        #expect(first["vram_temp_c"] == .double(52))
        #expect(first["gpu_util_pct"] == .double(87))
        #expect(first["mem_util_pct"] == .double(61))
        #expect(first["mem_used_mb"] == .double(15000))
        #expect(first["mem_total_mb"] == .double(24560))
        #expect(first["power_draw_w"] == .double(35), "the draw, not the maximum")
        #expect(first["fan_speed_pct"] == .double(23.14))
        #expect(RocmSMI.gpuStats("not json", timestamp: "t").isEmpty)
    }

    @Test("accelerators with memory, architecture, driver and power limit")
    func accelerators() throws {
        let cards = RocmSMI.accelerators(Self.json)
        guard case .object(let first) = cards.first, case .object(let second) = cards.last else {
            throw ProcParsersTests.Failure("no cards")
        }
        #expect(first["architecture"] == .string("gfx1100"))
        #expect(first["memory"] == .object(["kind": .string("dedicated"), "capacity_bytes": .integer(25_753_026_560)]))
        #expect(first["driver"] == .object(["name": .string("amdgpu"), "version": .string("6.8.5")]))
        #expect(first["power_limit_watts"] == .double(303))
        #expect(second["model"] == .string("Radeon Pro W7800"))
        #expect(second["power_limit_watts"] == .null)
    }
}

/// swap's watchdog beside each backend is swap's memory, not the model's.
struct WatchdogMemoryTests {
    @Test("the first argument of a cmdline; a process without arguments has none")
    func firstArgument() {
        #expect(
            ProcessTree.firstArgument(cmdline: "/usr/bin/swap-server\u{0}__swap-watchdog\u{0}4242\u{0}")
                == "__swap-watchdog")
        #expect(ProcessTree.firstArgument(cmdline: "llama-server\u{0}") == "")
        #expect(ProcessTree.firstArgument(cmdline: "") == nil)
    }

    @Test("a process whose first argument is the skipped one is left out of the sum")
    func skipped() {
        let me = getpid()
        let first = ProcessTree.firstArgument(cmdline: ProcText.read("/proc/self/cmdline") ?? "")
        let counted = ProcessTree.memory(of: [me], gpuByPID: nil)
        #expect(counted.rssBytes > 0)
        if let first {
            #expect(ProcessTree.memory(of: [me], gpuByPID: nil, skipping: first).rssBytes == 0)
        }
        #expect(ProcessTree.memory(of: [me], gpuByPID: nil, skipping: "__swap-watchdog").rssBytes > 0, "not skipped")
    }
}
