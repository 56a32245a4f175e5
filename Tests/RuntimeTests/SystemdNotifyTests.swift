import ConfigLang
import Foundation
import Runtime
import SwapTestSupport
import Synchronization
import Testing

/// The sd_notify messages: their text (pure), and what a real swap-server sends to the
/// datagram socket named by `NOTIFY_SOCKET` when it starts, reloads and stops.
@Suite("systemd notifications")
struct SystemdNotifyTests {
    @Test("messages are NAME=value lines; newlines in a value become spaces")
    func messageText() {
        #expect(SystemdNotification.ready(status: "ok").text == "READY=1\nSTATUS=ok\n")
        #expect(
            SystemdNotification.reloading(monotonicMicroseconds: 1_234_567).text
                == "RELOADING=1\nMONOTONIC_USEC=1234567\nSTATUS=reloading the config\n")
        #expect(SystemdNotification.stopping.text.hasPrefix("STOPPING=1\n"))
        #expect(SystemdNotification([.init("STATUS", "two\nlines")]).text == "STATUS=two lines\n")
    }

    @Test("the status names the plan hash and counts models and peers")
    func statusText() throws {
        let yaml = """
            models:
              a:
                cmd: server --port ${PORT}
              b:
                cmd: server --port ${PORT}
            peers:
              far:
                proxy: http://127.0.0.1:1
                models: [x]
            """
        let plan = try #require(PlanBuilder.compile([SourceFile(name: "c.yaml", text: yaml)], environment: [:]).plan)
        let status = SystemdNotification.status(serving: plan, lastReloadFailed: false)
        #expect(status == "serving plan \(plan.sourceHash.prefix(12)): 2 models, 1 peer")
        #expect(SystemdNotification.status(serving: plan, lastReloadFailed: true).contains("the last reload failed"))
    }

    @Test("a notifier needs a socket path that fits a Unix socket address")
    func socketPaths() {
        #expect(SystemdNotifier(socketPath: "") == nil)
        #expect(SystemdNotifier(socketPath: "/" + String(repeating: "a", count: 200)) == nil)
        #expect(SystemdNotifier(socketPath: "@swap-test")?.socketPath == "@swap-test")
    }

    @Test("swap-server sends READY=1 once listening, RELOADING=1/READY=1 around a reload, STOPPING=1 on SIGTERM")
    func serverNotifies() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              m:
                cmd: {FAKE} --port ${PORT}
            """
        try await ServerHarness.withTemporaryDirectory { directory in
            let listener = try NotifyListener(path: directory.appendingPathComponent("notify.sock").path)
            let environment = ["NOTIFY_SOCKET": listener.path]
            try await ServerHarness.withServer(config: config, environment: environment) { server in
                let ready = try await listener.next(within: .seconds(20))
                #expect(ready["READY"] == "1")
                let status = try #require(ready["STATUS"])
                let hash =
                    try await TestHTTP.send("GET", server.base + "/api/config/status").json?["planHash"] as? String
                #expect(status.hasPrefix("serving plan \(try #require(hash).prefix(12)): 1 model"), "\(status)")

                // A reload on SIGHUP that applies a new plan (two models).
                try server.writeConfig(
                    config.replacingOccurrences(of: "{START_PORT}", with: "\(try ServerHarness.freePort())")
                        + "\n  n:\n    cmd: {FAKE} --port ${PORT}\n")
                let before = SystemdNotifier.monotonicMicroseconds()
                kill(server.pid, SIGHUP)
                let reloading = try await listener.next(within: .seconds(20))
                #expect(reloading["RELOADING"] == "1")
                let stamp = try #require(reloading["MONOTONIC_USEC"].flatMap { UInt64($0) })
                #expect(stamp >= before && stamp <= SystemdNotifier.monotonicMicroseconds())
                let reloaded = try await listener.next(within: .seconds(20))
                #expect(reloaded["READY"] == "1")
                #expect(reloaded["STATUS"]?.contains(": 2 models") == true, "\(reloaded)")

                // A rejected reload still ends with READY=1, and the status says it failed.
                try server.writeConfig("models:\n  broken:\n    ttl: 5\n")
                kill(server.pid, SIGHUP)
                #expect(try await listener.next(within: .seconds(20))["RELOADING"] == "1")
                let rejected = try await listener.next(within: .seconds(20))
                #expect(rejected["READY"] == "1")
                #expect(rejected["STATUS"]?.contains("2 models; the last reload failed") == true, "\(rejected)")

                // The backend started afterwards does not inherit NOTIFY_SOCKET.
                #expect(try await ServerIntegrationTests.chat(server, "m").status == 200)
                let pid = try await ServerIntegrationTests.running(server)["m"] ?? 0
                let environ = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/environ"))) ?? Data()
                #expect(pid > 0 && !environ.isEmpty)
                #expect(!String(decoding: environ, as: UTF8.self).contains("NOTIFY_SOCKET="))
            }
            // withServer sent SIGTERM on the way out.
            let stopping = try await listener.next(within: .seconds(20))
            #expect(stopping["STOPPING"] == "1")
        }
    }
}

/// A bound Unix datagram socket standing in for systemd's notify socket.
final class NotifyListener: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw HarnessError("bind(\(path)) failed: errno \(errno)") }
    }

    deinit { close(fd) }

    /// The next datagram as NAME → value, waiting for it at most `timeout`.
    func next(within timeout: Duration) async throws -> [String: String] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                var fields: [String: String] = [:]
                for line in String(decoding: buffer[..<count], as: UTF8.self).split(separator: "\n") {
                    guard let equals = line.firstIndex(of: "=") else { continue }
                    fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
                }
                return fields
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no notification on \(path) within \(timeout)")
    }
}
