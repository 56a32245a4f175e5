import ConfigLang
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The machine swap-server runs on, detected once at start, in llama-swap's
/// `HardwareSnapshot` shape (`GET /api/hardware`): architecture, OS, environment, CPU,
/// memory, and the GPUs `nvidia-smi` (or else `rocm-smi`) reports.
enum HardwareSnapshot {
    /// Detects the machine now.
    static func detect() async -> JSONValue {
        var name = utsname()
        uname(&name)
        let machine = withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let system = withUnsafeBytes(of: name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let gpus = await SystemCommand.output(
            "nvidia-smi",
            ["--query-gpu=index,name,memory.total,driver_version,power.limit", "--format=csv,noheader,nounits"])
        let rocm = gpus == nil ? await SystemCommand.output("rocm-smi", RocmSMI.arguments) : nil
        return build(
            capturedAt: Date(), machine: machine, kernel: release, system: system,
            osRelease: ProcText.read("/etc/os-release") ?? "", cpuInfo: ProcText.read("/proc/cpuinfo") ?? "",
            memInfo: ProcText.read("/proc/meminfo") ?? "", environment: environmentKind(), nvidiaGPUs: gpus ?? "",
            rocmJSON: rocm ?? "{}")
    }

    /// The snapshot from the texts read (pure, for tests).
    static func build(
        capturedAt: Date, machine: String, kernel: String, system: String, osRelease: String, cpuInfo: String,
        memInfo: String, environment: String, nvidiaGPUs: String, rocmJSON: String = "{}"
    ) -> JSONValue {
        let os = ProcParsers.osRelease(osRelease)
        let cpu = ProcParsers.cpuInfo(cpuInfo)
        let memory = ProcParsers.memInfo(memInfo)["MemTotal"] ?? 0
        let architecture: String =
            switch machine {
            case "x86_64", "amd64": "x86_64"
            case "aarch64", "arm64": "arm64"
            default: machine
            }
        var accelerators: [JSONValue] = []
        for line in nvidiaGPUs.split(separator: "\n") {
            let fields = line.split(separator: ",").map { String($0.drop { $0 == " " }) }
            guard fields.count >= 5 else { continue }
            let mebibytes = Int(fields[2].filter { $0 != " " }) ?? 0
            accelerators.append(
                .object([
                    "index": .integer(Int(fields[0]) ?? accelerators.count), "kind": .string("gpu"),
                    "vendor": .string("NVIDIA"), "model": .string(fields[1]), "architecture": .null,
                    "memory": .object(["kind": .string("dedicated"), "capacity_bytes": .integer(mebibytes << 20)]),
                    "driver": .object(["name": .string("nvidia"), "version": .string(fields[3])]),
                    "power_limit_watts": Double(fields[4].filter { $0 != " " }).map(JSONValue.double) ?? .null,
                ]))
        }
        accelerators += RocmSMI.accelerators(rocmJSON)
        return .object([
            "schema_version": .integer(1),
            "captured_at": .string(RFC3339.string(capturedAt)),
            "capture": .object([
                "scope": .string("inference_host"), "method": .string("detected"),
                "detector": .object(["name": .string("swap-server"), "version": .string(SwapVersion.current)]),
            ]),
            "architecture": .object(["name": .string(architecture), "raw_name": .string(machine)]),
            "operating_system": .object([
                "family": .string(system.lowercased()), "name": .string(os["NAME"] ?? system),
                "version": .string(os["VERSION_ID"] ?? ""), "kernel": .string(kernel), "raw_family": .string(system),
            ]),
            "environment": .object([
                "kind": .string(environment), "name": .null, "version": .null, "raw_kind": .string(environment),
            ]),
            "cpu": .object([
                "vendor": .string(cpu.vendor), "model": .string(cpu.model), "socket_count": .integer(cpu.sockets),
                "physical_core_count": .integer(cpu.physicalCores),
                "logical_thread_count": .integer(cpu.logicalThreads),
            ]),
            "memory": .object(["capacity_bytes": .integer(memory)]),
            "accelerators": .array(accelerators),
        ])
    }

    /// `container` inside Docker/Podman (their marker files, or a container cgroup),
    /// else `bare_metal_or_vm` (a VM is not told apart without more probes).
    private static func environmentKind() -> String {
        if access("/.dockerenv", F_OK) == 0 || access("/run/.containerenv", F_OK) == 0 { return "container" }
        let cgroup = ProcText.read("/proc/1/cgroup") ?? ""
        if cgroup.contains("docker") || cgroup.contains("kubepods") || cgroup.contains("containerd") {
            return "container"
        }
        return "bare_metal_or_vm"
    }
}
