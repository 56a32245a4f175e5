import AsyncHTTPClient
import Foundation
import NIOCore
import SwapTestSupport

/// Two swap-server binaries side by side in front of one backend: the same small
/// request sent straight to the backend and through each server, in a shuffled order
/// every round, so that both servers see the same machine load. Also counts each
/// server's context switches and CPU time per request (from `/proc`, all threads).
///
/// `swap-bench compare OTHER_SWAP_SERVER [ROUNDS]` compares the swap-server next to
/// swap-bench ("this") with `OTHER_SWAP_SERVER` ("other").
enum ProxyComparison {
    static func config(backendPort: Int) -> String {
        """
        healthCheckTimeout: 30
        models:
          bench:
            cmd: /bin/sleep 1000000
            proxy: http://127.0.0.1:\(backendPort)
            checkEndpoint: /health
            concurrencyLimit: 64
        """
    }

    /// Context switches and on-CPU nanoseconds of every thread of `pid`.
    static func counters(_ pid: pid_t) -> (switches: Int, cpuNanoseconds: Int) {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        var switches = 0
        var cpu = 0
        for task in tasks {
            if let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/status", encoding: .utf8) {
                for line in status.split(separator: "\n") where line.contains("ctxt_switches") {
                    switches += Int(line.split(separator: "\t").last ?? "") ?? 0
                }
            }
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/schedstat", encoding: .utf8) {
                cpu += Int(stat.split(separator: " ").first ?? "") ?? 0
            }
        }
        return (switches, cpu)
    }

    struct Target: Sendable {
        let name: String
        let url: String
        let pid: pid_t?
    }

    static func run(other: String, rounds: Int) async throws {
        let backendPort = try ServerHarness.freePort()
        try await ProcessRunner.withProcess(
            ServerHarness.fakeBackend, ["--port", String(backendPort), "--tokens", "4"]
        ) {
            try await ServerHarness.withTemporaryDirectory { directory in
                let configURL = directory.appendingPathComponent("config.yaml")
                try config(backendPort: backendPort).write(to: configURL, atomically: true, encoding: .utf8)
                let thisPort = try ServerHarness.freePort()
                let otherPort = try ServerHarness.freePort()
                try await withServer(ServerHarness.swapServer, config: configURL, port: thisPort) { thisPID in
                    try await withServer(other, config: configURL, port: otherPort) { otherPID in
                        let targets = [
                            Target(
                                name: "direct", url: "http://127.0.0.1:\(backendPort)/v1/chat/completions", pid: nil),
                            Target(
                                name: "other", url: "http://127.0.0.1:\(otherPort)/v1/chat/completions", pid: otherPID),
                            Target(name: "this", url: "http://127.0.0.1:\(thisPort)/v1/chat/completions", pid: thisPID),
                        ]
                        try await measure(targets, rounds: rounds)
                    }
                }
            }
        }
    }

    static func withServer(
        _ path: String, config: URL, port: Int, _ body: @Sendable (pid_t) async throws -> Void
    ) async throws {
        try await ProcessRunner.withProcessID(path, ["--config", config.path, "--listen", "127.0.0.1:\(port)"]) { pid in
            let deadline = ContinuousClock.now + .seconds(30)
            while !ProxyBenchmark.healthOK(port: port) {
                guard ContinuousClock.now < deadline else { throw HarnessError("\(path) did not start") }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await body(pid)
        }
    }

    static func measure(_ targets: [Target], rounds: Int) async throws {
        try await HTTPClient.withClient(
            configuration: .init(
                connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64))
        ) { client in
            for target in targets {
                for _ in 0..<200 { _ = try await ProxyBenchmark.timeOne(client, target.url) }
            }
            var generator = SplitMix64(state: 42)
            for (concurrency, phaseRounds) in [(1, rounds), (32, max(10, rounds / 20))] {
                var samples: [String: [Double]] = [:]
                var before: [String: (switches: Int, cpuNanoseconds: Int)] = [:]
                for target in targets { if let pid = target.pid { before[target.name] = counters(pid) } }
                for _ in 0..<phaseRounds {
                    var order = targets
                    order.shuffle(using: &generator)
                    for target in order {
                        let round = try await withThrowingTaskGroup(of: Double.self) { group in
                            for _ in 0..<concurrency {
                                group.addTask {
                                    do {
                                        return try await ProxyBenchmark.timeOne(client, target.url)
                                    } catch {
                                        throw HarnessError("\(target.name): \(error)")
                                    }
                                }
                            }
                            return try await group.reduce(into: [Double]()) { $0.append($1) }
                        }
                        samples[target.name, default: []] += round
                    }
                }
                let direct = Stats(samples["direct"] ?? [])
                print("concurrency \(concurrency), \(phaseRounds * concurrency) requests per target:")
                print("  direct  p50 \(ms(direct.p50)) p99 \(ms(direct.p99)) ms")
                for target in targets where target.pid != nil {
                    let stats = Stats(samples[target.name] ?? [])
                    let after = counters(target.pid!)
                    let count = Double(phaseRounds * concurrency)
                    let switches = Double(after.switches - before[target.name]!.switches) / count
                    let cpu = Double(after.cpuNanoseconds - before[target.name]!.cpuNanoseconds) / count / 1000
                    print(
                        "  \(target.name.padding(toLength: 6, withPad: " ", startingAt: 0))  p50 \(ms(stats.p50)) p99 \(ms(stats.p99)) ms; added p50 \(ms(stats.p50 - direct.p50)) p99 \(ms(stats.p99 - direct.p99)) ms; \(String(format: "%.1f", switches)) context switches and \(String(format: "%.1f", cpu)) µs CPU per request"
                    )
                }
            }
            var ttfb: [String: [Double]] = [:]
            for _ in 0..<max(50, rounds / 5) {
                var order = targets
                order.shuffle(using: &generator)
                for target in order {
                    ttfb[target.name, default: []].append(try await ProxyBenchmark.timeToFirstByte(client, target.url))
                }
            }
            let direct = Stats(ttfb["direct"] ?? [])
            print("stream time to first byte, \(direct.sorted.count) each:")
            print("  direct  p50 \(ms(direct.p50)) p99 \(ms(direct.p99)) ms")
            for target in targets where target.pid != nil {
                let stats = Stats(ttfb[target.name] ?? [])
                print(
                    "  \(target.name.padding(toLength: 6, withPad: " ", startingAt: 0))  p50 \(ms(stats.p50)) p99 \(ms(stats.p99)) ms; added p50 \(ms(stats.p50 - direct.p50)) p99 \(ms(stats.p99 - direct.p99)) ms"
                )
            }
        }
    }
}
