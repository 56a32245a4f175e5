import ConfigLang
import FoundationEssentials
import ServiceLifecycle
import Synchronization

/// System statistics sampled on a timer into bounded rings (one hour of samples), for
/// `GET /api/performance`: CPU per core, memory, load and network from `/proc`, and per
/// GPU from `nvidia-smi`, or else `rocm-smi`, when one is installed.
public final class PerformanceMonitor: Service, Sendable {
    /// How often a sample is taken.
    public let every: Duration
    /// How many samples each ring keeps.
    public let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var system: [JSONValue] = []
        var gpus: [JSONValue] = []
        /// Each sample's time in whole milliseconds since the epoch, as its timestamp shows it.
        var times: [Int64] = []
        var gpuTimes: [Int64] = []
        var previousCores: [CPUTimes] = []
    }

    /// A monitor sampling every `every`, keeping one hour of samples.
    public init(every: Duration = .seconds(5)) {
        self.every = every
        let milliseconds = max(
            1, every.components.seconds * 1000 + every.components.attoseconds / 1_000_000_000_000_000)
        self.capacity = max(1, Int(3_600_000 / milliseconds))
        self.state = Mutex(State())
    }

    /// The samples taken after `after` (all when nil), oldest first, as
    /// `{"enabled":true,"sys_stats":[…],"gpu_stats":[…]}`.
    public func samples(after: Date?) -> JSONValue {
        let after = after.map(Self.milliseconds) ?? Int64.min
        return state.withLock { state in
            let system = zip(state.times, state.system).filter { $0.0 > after }.map(\.1)
            let gpus = zip(state.gpuTimes, state.gpus).filter { $0.0 > after }.map(\.1)
            return .object(["enabled": .bool(true), "sys_stats": .array(system), "gpu_stats": .array(gpus)])
        }
    }

    /// Takes one sample now.
    public func sample() async {
        // Whole milliseconds and 0.4 more (a `Date` holds about 0.1 µs at today's
        // dates; the formatter truncates to milliseconds): its timestamp and its key in
        // the ring then name the same millisecond.
        let now = Date(
            timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000 + 0.000_4)
        let gpuCSV = await SystemCommand.output(
            "nvidia-smi",
            [
                "--query-gpu=index,name,uuid,temperature.gpu,temperature.memory,utilization.gpu,utilization.memory,"
                    + "memory.used,memory.total,fan.speed,power.draw",
                "--format=csv,noheader,nounits",
            ])
        let rocmJSON = gpuCSV == nil ? await SystemCommand.output("rocm-smi", RocmSMI.arguments) : nil
        let procStat = ProcText.read("/proc/stat") ?? ""
        let memInfo = ProcParsers.memInfo(ProcText.read("/proc/meminfo") ?? "")
        let load = ProcParsers.loadAverage(ProcText.read("/proc/loadavg") ?? "")
        let network = ProcParsers.networkDevices(ProcText.read("/proc/net/dev") ?? "")
        let cores = ProcParsers.coreTimes(procStat: procStat)
        state.withLock { state in
            let previous = state.previousCores.count == cores.count ? state.previousCores : cores
            state.previousCores = cores
            let stat = SystemStat.json(
                at: now, cores: zip(cores, previous).map { $0.utilisation(since: $1) }, memInfo: memInfo,
                load: load, network: network)
            Self.append(stat, at: now, to: &state.system, times: &state.times, capacity: capacity)
            let gpus =
                SystemStat.gpus(csv: gpuCSV ?? "", at: now)
                + RocmSMI.gpuStats(rocmJSON ?? "{}", timestamp: RFC3339.string(now))
            for gpu in gpus {
                Self.append(gpu, at: now, to: &state.gpus, times: &state.gpuTimes, capacity: capacity * 8)
            }
        }
    }

    /// Whole milliseconds since the epoch, as a timestamp shows `date`: a client's `after`
    /// (the last timestamp it saw) then excludes that very sample.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func append(
        _ value: JSONValue, at time: Date, to ring: inout [JSONValue], times: inout [Int64], capacity: Int
    ) {
        ring.append(value)
        times.append(milliseconds(time))
        if ring.count > capacity {
            ring.removeFirst(ring.count - capacity)
            times.removeFirst(times.count - capacity)
        }
    }

    /// Samples every ``every`` until the service group shuts down.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await sample()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.every) }
        }
    }
}

/// The JSON shapes of `/api/performance` (llama-swap's `SysStat` and `GpuStat`).
enum SystemStat {
    /// One `SysStat`.
    static func json(
        at time: Date, cores: [Double], memInfo: [String: Int], load: (Double, Double, Double)?,
        network: [NetworkIO]
    ) -> JSONValue {
        let mebibyte = 1 << 20
        let total = memInfo["MemTotal"] ?? 0
        let available = memInfo["MemAvailable"] ?? memInfo["MemFree"] ?? 0
        let swapTotal = memInfo["SwapTotal"] ?? 0
        let swapFree = memInfo["SwapFree"] ?? 0
        return .object([
            "timestamp": .string(RFC3339.string(time)),
            "cpu_util_per_core": .array(cores.map { .double(($0 * 10).rounded() / 10) }),
            "mem_total_mb": .integer(total / mebibyte),
            "mem_used_mb": .integer((total - available) / mebibyte),
            "mem_free_mb": .integer(available / mebibyte),
            "swap_total_mb": .integer(swapTotal / mebibyte),
            "swap_used_mb": .integer((swapTotal - swapFree) / mebibyte),
            "load_avg_1": .double(load?.0 ?? 0), "load_avg_5": .double(load?.1 ?? 0),
            "load_avg_15": .double(load?.2 ?? 0),
            "net_io": .array(
                network.map {
                    .object([
                        "name": .string($0.name), "bytes_recv": .integer($0.bytesReceived),
                        "bytes_sent": .integer($0.bytesSent),
                    ])
                }),
        ])
    }

    /// One `GpuStat` per row of `nvidia-smi --query-gpu=index,name,uuid,temperature.gpu,
    /// temperature.memory,utilization.gpu,utilization.memory,memory.used,memory.total,
    /// fan.speed,power.draw --format=csv,noheader,nounits` (`[N/A]` fields are 0).
    static func gpus(csv: String, at time: Date) -> [JSONValue] {
        csv.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.filter { $0 != " " }.isEmpty ? "" : String($0.drop { $0 == " " })
            }
            guard fields.count >= 11 else { return nil }
            func number(_ index: Int) -> Double { Double(fields[index].filter { $0 != " " }) ?? 0 }
            return .object([
                "timestamp": .string(RFC3339.string(time)), "id": .integer(Int(number(0))), "name": .string(fields[1]),
                "uuid": .string(fields[2].filter { $0 != " " }), "temp_c": .double(number(3)),
                "vram_temp_c": .double(number(4)), "gpu_util_pct": .double(number(5)),
                "mem_util_pct": .double(number(6)), "mem_used_mb": .double(number(7)),
                "mem_total_mb": .double(number(8)), "fan_speed_pct": .double(number(9)),
                "power_draw_w": .double(number(10)),
            ])
        }
    }
}
