import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport

/// Resident memory of swap-server when idle and after many proxied requests.
enum MemoryBenchmark {
    static func rss(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    static func run(requests: Int, report: inout [String]) async throws {
        let config = """
            startPort: {START_PORT}
            models:
              bench:
                cmd: {FAKE} --port ${PORT} --tokens 4
                concurrencyLimit: 16
            """
        let out = SendableBox<[String]>([])
        try await ServerHarness.withServer(config: config) { server in
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            try await Task.sleep(for: .milliseconds(500))
            let idle = rss(server.pid)
            let url = server.base + "/v1/chat/completions"
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for _ in stride(from: worker, to: requests, by: 8) {
                            _ = try await ProxyBenchmark.timeOne(client, url)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let after = rss(server.pid)
            try? await client.shutdown()
            out.value = [
                "| swap-server resident memory | idle **\(idle / 1024) MiB** | after \(requests) proxied requests **\(after / 1024) MiB** | ratio \(String(format: "%.2f", Double(after) / Double(max(idle, 1)))) |"
            ]
        }
        report += out.value
    }
}
