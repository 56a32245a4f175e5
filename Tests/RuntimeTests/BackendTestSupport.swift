import AsyncHTTPClient
import ConfigLang
import Foundation
import Runtime
import SwapTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers for the backend supervisor's integration tests: plans compiled from real
/// YAML, free ports, a tiny Python HTTP server, process probes, and cleanup that
/// kills every spawned process group even when a test fails.
enum BackendTestSupport {
    /// Compiles a one-model config and returns the model `m`.
    ///
    /// `cmd` and `cmdStop` are written as YAML literal blocks, so they need no YAML
    /// quoting. The proxy is `http://127.0.0.1:${PORT}` when `cmd` uses `${PORT}`,
    /// else `http://127.0.0.1:<fixedPort>`.
    static func model(
        cmd: String, checkEndpoint: String = "none", cmdStop: String? = nil, env: [String] = [],
        unloadTimeout: Int = 5, fixedPort: Int = 1
    ) throws -> ModelPlan {
        let proxyPort = cmd.contains("${PORT}") ? "${PORT}" : String(fixedPort)
        var yaml = """
            models:
              m:
                proxy: http://127.0.0.1:\(proxyPort)
                checkEndpoint: \(checkEndpoint)
                unloadTimeout: \(unloadTimeout)
                cmd: |
                  \(cmd)

            """
        if let cmdStop {
            yaml += """
                    cmdStop: |
                      \(cmdStop)

                """
        }
        if !env.isEmpty {
            yaml += "    env:\n" + env.map { "      - \"\($0)\"\n" }.joined()
        }
        let result = PlanBuilder.compile([SourceFile(name: "backend-test.yaml", text: yaml)], environment: [:])
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.message)
        let plan = try #require(result.plan, "config did not compile: \(errors)\n\(yaml)")
        return try #require(plan.models["m"])
    }

    /// A TCP port that was free a moment ago (bound to port 0, read back, closed).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        try #require(bound == 0)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        try #require(named == 0)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A scratch directory for one test.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("swap-backend-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes a Python HTTP server to `directory` and returns its path. Run it as
    /// `python3 PATH PORT DELAY`: it prints `pid=N`, sleeps DELAY seconds, then
    /// answers every GET with 200 on 127.0.0.1:PORT.
    static func writeHealthServer(in directory: URL) throws -> String {
        let script = """
            import http.server, os, sys, time
            port, delay = int(sys.argv[1]), float(sys.argv[2])
            print(f"pid={os.getpid()}", flush=True)
            time.sleep(delay)
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                def log_message(self, *args):
                    pass
            server = http.server.HTTPServer(("127.0.0.1", port), Handler)
            print("listening", flush=True)
            server.serve_forever()

            """
        let path = directory.appendingPathComponent("health_server.py").path
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The built `swap-server` next to the test binary, if present.
    static var swapServerBinary: String? {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("swap-server").path
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// True while `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        Polling.isAlive(Int(pid))
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes.
    static func eventually(
        within timeout: Duration = .seconds(5), _ condition: () async throws -> Bool
    ) async rethrows -> Bool {
        try await Polling.eventually(within: timeout, every: .milliseconds(10), condition)
    }

    /// True once the hub holds a line from `source` containing `text`.
    static func logContains(_ logs: LogHub, _ text: String, source: String = "m") async -> Bool {
        await logs.snapshot(source: source).contains { $0.text.contains(text) }
    }

    /// Runs `body` with a new backend and, whatever happens, stops it and SIGKILLs
    /// every process group it ever had.
    static func withBackend<T>(
        _ model: ModelPlan, port: Int? = nil, healthCheckTimeout: Duration = .seconds(10),
        logs: LogHub = LogHub(), launcher: String? = nil,
        _ body: (Backend, LogHub) async throws -> T
    ) async throws -> T {
        let backend = Backend(
            model: model, port: port, healthCheckTimeout: healthCheckTimeout, logs: logs,
            httpClient: .shared, launcherExecutable: launcher)
        let tracker = PIDTracker()
        let watcher = Task {
            while !Task.isCancelled {
                if let pid = await backend.pid { await tracker.add(pid) }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        func cleanUp() async {
            if let pid = await backend.pid { await tracker.add(pid) }
            watcher.cancel()
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await backend.stop() }
                group.addTask {
                    try? await Task.sleep(for: .seconds(15))
                }
                await group.next()
                group.cancelAll()
            }
            for pid in await tracker.pids {
                kill(-pid, SIGKILL)
            }
        }
        do {
            let result = try await body(backend, logs)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }

    /// PIDs seen during a test, for cleanup.
    actor PIDTracker {
        private(set) var pids: Set<Int32> = []
        func add(_ pid: Int32) { pids.insert(pid) }
    }
}
