/// Pure parsers of the kernel's text files; each takes the file's text and never reads.
enum ProcParsers {
    /// `VmRSS` and `VmSwap` of a `/proc/<pid>/status`, in bytes (0 when absent: a
    /// kernel thread or a zombie).
    static func memory(status: String) -> (rss: Int, swap: Int) {
        var rss = 0
        var swap = 0
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") {
                rss = kilobytes(line)
            } else if line.hasPrefix("VmSwap:") {
                swap = kilobytes(line)
            }
        }
        return (rss, swap)
    }

    /// The fields of a `/proc/<pid>/stat` line after the command name (which may hold
    /// spaces and parentheses, so the split starts after its last `)`): index 0 is the
    /// state (field 3 of proc(5)), 1 the parent pid, 11 utime, 12 stime, 19 starttime.
    static func statFields(_ stat: String) -> [Substring] {
        guard let close = stat.lastIndex(of: ")") else { return [] }
        return stat[stat.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
    }

    /// The parent pid in a `/proc/<pid>/stat` line.
    static func parentPID(stat: String) -> Int32? {
        let fields = statFields(stat)
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    /// A process's CPU time (user + system) and start, in clock ticks, from its stat line.
    static func cpuTicks(stat: String) -> (cpu: Int, start: Int)? {
        let fields = statFields(stat)
        guard fields.count > 19, let user = Int(fields[11]), let system = Int(fields[12]),
            let start = Int(fields[19])
        else { return nil }
        return (user + system, start)
    }

    /// `btime` of `/proc/stat`: the boot time, in seconds since the epoch.
    static func bootTime(procStat: String) -> Int? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count).trimming(" "))
        }
        return nil
    }

    /// Each core's busy and total jiffies from `/proc/stat`'s `cpuN` lines, in core order.
    static func coreTimes(procStat: String) -> [CPUTimes] {
        var cores: [CPUTimes] = []
        for line in procStat.split(separator: "\n") {
            guard line.hasPrefix("cpu"), let third = line.dropFirst(3).first, third.isNumber else { continue }
            let values = line.split(separator: " ").dropFirst().compactMap { Int($0) }
            guard values.count >= 4 else { continue }
            // user nice system idle iowait irq softirq steal (guest times are inside user).
            let idle = values[3] + (values.count > 4 ? values[4] : 0)
            let total = values.prefix(8).reduce(0, +)
            cores.append(CPUTimes(busy: total - idle, total: total))
        }
        return cores
    }

    /// `/proc/meminfo` as name → bytes (its values are in kB).
    static func memInfo(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = kilobytes(line)
        }
        return result
    }

    /// The 1, 5 and 15 minute load averages of `/proc/loadavg`.
    static func loadAverage(_ text: String) -> (Double, Double, Double)? {
        let fields = text.split(separator: " ")
        guard fields.count >= 3, let one = Double(fields[0]), let five = Double(fields[1]),
            let fifteen = Double(fields[2])
        else { return nil }
        return (one, five, fifteen)
    }

    /// Bytes received and sent per interface from `/proc/net/dev` (loopback included).
    static func networkDevices(_ text: String) -> [NetworkIO] {
        var result: [NetworkIO] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimming(" ")
            let values = line[line.index(after: colon)...].split(separator: " ").compactMap { Int($0) }
            guard values.count >= 9 else { continue }
            result.append(NetworkIO(name: name, bytesReceived: values[0], bytesSent: values[8]))
        }
        return result
    }

    /// `KEY=value` lines of `/etc/os-release`, quotes removed.
    static func osRelease(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "="), !line.hasPrefix("#") else { continue }
            var value = line[line.index(after: equals)...]
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = value.dropFirst().dropLast()
            }
            result[String(line[..<equals])] = String(value)
        }
        return result
    }

    /// The CPU as `/proc/cpuinfo` describes it: vendor, model, sockets, physical cores
    /// and logical threads (x86 fields; other architectures report what they have).
    static func cpuInfo(_ text: String) -> CPUDescription {
        var description = CPUDescription()
        var sockets: Set<String> = []
        var cores: Set<String> = []
        var physical = "0"
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimming(" \t")
            let value = line[line.index(after: colon)...].trimming(" \t")
            switch key {
            case "processor": description.logicalThreads += 1
            case "vendor_id", "CPU implementer": if description.vendor.isEmpty { description.vendor = value }
            case "model name", "Model", "cpu model": if description.model.isEmpty { description.model = value }
            case "physical id":
                physical = value
                sockets.insert(value)
            case "core id": cores.insert(physical + "/" + value)
            default: break
            }
        }
        description.sockets = max(1, sockets.count)
        description.physicalCores = cores.isEmpty ? description.logicalThreads : cores.count
        return description
    }

    /// `pid, used_memory` rows of `nvidia-smi --query-compute-apps=pid,used_memory
    /// --format=csv,noheader,nounits` as pid → bytes (the memory is in MiB).
    static func gpuMemoryByPID(_ csv: String) -> [Int32: Int] {
        var result: [Int32: Int] = [:]
        for line in csv.split(separator: "\n") {
            let fields = line.split(separator: ",").map { $0.trimming(" ") }
            guard fields.count >= 2, let pid = Int32(fields[0]), let mebibytes = Int(fields[1]) else { continue }
            result[pid, default: 0] += mebibytes << 20
        }
        return result
    }

    private static func kilobytes(_ line: Substring) -> Int {
        let digits = line.split(separator: " ").dropFirst().first { Int($0) != nil }
        return (digits.flatMap { Int($0) } ?? 0) * 1024
    }
}

/// One core's jiffies: busy (not idle or waiting for I/O) and total.
struct CPUTimes: Sendable, Equatable {
    var busy: Int
    var total: Int

    /// Percent busy between `earlier` and this sample (0 when no time passed).
    func utilisation(since earlier: CPUTimes) -> Double {
        let total = self.total - earlier.total
        guard total > 0 else { return 0 }
        return Double(max(0, busy - earlier.busy)) * 100 / Double(total)
    }
}

/// One network interface's byte counters.
struct NetworkIO: Sendable, Equatable {
    var name: String
    var bytesReceived: Int
    var bytesSent: Int
}

/// The CPU, as `/proc/cpuinfo` tells.
struct CPUDescription: Sendable, Equatable {
    var vendor = ""
    var model = ""
    var sockets = 1
    var physicalCores = 0
    var logicalThreads = 0
}

extension StringProtocol {
    /// The text without leading and trailing characters in `set`.
    fileprivate func trimming(_ set: String) -> String {
        let characters = Set(set)
        guard let start = firstIndex(where: { !characters.contains($0) }) else { return "" }
        let end = lastIndex(where: { !characters.contains($0) })!
        return String(self[start...end])
    }
}
