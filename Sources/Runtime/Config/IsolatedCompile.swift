import ConfigLang
import FoundationEssentials
import Subprocess

#if canImport(Glibc)
    import Glibc
#endif

/// A reload's compile tried first in a child process (`swap-server __swap-compile`) with
/// limits on its memory, CPU and wall-clock time, so that a compiler bug no limit
/// foresaw (a trap, runaway recursion or allocation) ends the child, not the server.
///
/// The parent passes the exact bytes it read on the child's stdin; the child compiles
/// them and exits 0. Only then does the server compile the same bytes itself (the
/// compile is a pure function of bytes and environment, so it takes the path the child
/// took, within the same bounds) and keeps the plan. A child that crashes, passes a
/// limit or is killed makes the reload fail with SL705 and the old plan keeps serving.
/// Checking first costs one extra compile per reload (milliseconds for real configs).
public enum IsolatedCompile {
    /// The first argument that selects compile-check mode.
    public static let argument = "__swap-compile"
    /// Address space the child may map: the worst hostile shapes need under 100 MiB.
    static let maximumMemory = 1 << 30
    /// CPU seconds, and wall-clock seconds (SIGALRM), the child may take: release
    /// builds compile the worst shapes in well under a second; a debug build on a
    /// loaded machine needs the margin.
    static let maximumSeconds = 30

    /// Why the child did not finish the compile, or nil when it did.
    public static func check(_ files: [SourceFile], executable: String) async -> String? {
        var input: [UInt8] = []
        for file in files {
            input += Array("\(file.name.utf8.count) \(file.bytes.count)\n".utf8)
            input += Array(file.name.utf8)
            input += file.bytes
        }
        do {
            let result = try await Subprocess.run(
                .path(.init(executable)), arguments: [argument], input: .array(input), output: .discarded,
                error: .string(limit: 64 << 10))
            switch result.terminationStatus {
            case .exited(0):
                return nil
            case .exited(let code):
                return "the compile check exited with status \(code)" + detail(result.standardError)
            case .signaled(let signal):
                let reason =
                    switch signal {
                    case SIGXCPU, SIGALRM: "ran longer than \(maximumSeconds) s"
                    case SIGKILL: "was killed"
                    default: "crashed (signal \(signal)); the compiler has a bug, please report it with this file"
                    }
                return "the compile \(reason), with at most \(maximumMemory >> 20) MiB" + detail(result.standardError)
            }
        } catch {
            return "the compile check could not run \(executable): \(error)"
        }
    }

    private static func detail(_ standardError: String?) -> String {
        let text = (standardError ?? "").split(separator: "\n").prefix(3).joined(separator: "; ")
        return text.isEmpty ? "" : ": " + text
    }

    /// Returns at once unless this process was started as the compile check
    /// (`argv[1] == "__swap-compile"`); then it limits itself, reads the files from
    /// stdin, compiles them and exits 0. Call it first thing in `main`.
    public static func runIfRequested() {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2, arguments[1] == argument else { return }
        var memory = rlimit(rlim_cur: rlim_t(maximumMemory), rlim_max: rlim_t(maximumMemory))
        _ = setrlimit(Int32(RLIMIT_AS.rawValue), &memory)
        var cpu = rlimit(rlim_cur: rlim_t(maximumSeconds), rlim_max: rlim_t(maximumSeconds + 1))
        _ = setrlimit(Int32(RLIMIT_CPU.rawValue), &cpu)
        _ = alarm(UInt32(maximumSeconds))

        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            input += buffer[0..<count]
        }
        guard let files = sourceFiles(input) else {
            let message = Array("swap: \(argument) got malformed input\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            _exit(2)
        }
        _ = PlanBuilder.compile(files, environment: ProcessInfo.processInfo.environment)
        _exit(0)
    }

    /// The files framed as `"<name bytes> <content bytes>\n" name content`, repeated.
    static func sourceFiles(_ input: [UInt8]) -> [SourceFile]? {
        var files: [SourceFile] = []
        var index = 0
        while index < input.count {
            guard let newline = input[index...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let header = String(decoding: input[index..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 2, let nameCount = Int(header[0]), let byteCount = Int(header[1]),
                nameCount >= 0, byteCount >= 0, newline + 1 + nameCount + byteCount <= input.count
            else { return nil }
            let nameStart = newline + 1
            let name = String(decoding: input[nameStart..<(nameStart + nameCount)], as: UTF8.self)
            let bytesStart = nameStart + nameCount
            files.append(SourceFile(name: name, bytes: Array(input[bytesStart..<(bytesStart + byteCount)])))
            index = bytesStart + byteCount
        }
        return files
    }
}
