import Foundation

/// Runs the selected benchmarks and prints their Markdown table rows.
func runBenchmarks(_ arguments: Set<String>) async -> Int32 {
    let all = arguments.isEmpty
    var report: [String] = []
    do {
        if all || arguments.contains("proxy") { try await ProxyBenchmark.run(report: &report) }
        if all || arguments.contains("swap") { try await SwapBenchmark.run(report: &report) }
        if all || arguments.contains("reload") { try await ReloadLoadBenchmark.run(edits: 100, report: &report) }
        if all || arguments.contains("llama") { try await LlamaBenchmark.run(report: &report) }
        if all || arguments.contains("memory") { try await MemoryBenchmark.run(requests: 10_000, report: &report) }
    } catch {
        FileHandle.standardError.write(Data("swap-bench: \(error)\n".utf8))
        for line in report { print(line) }
        return 1
    }
    for line in report { print(line) }
    return 0
}

// swap-bench: runs swap's benchmarks against real processes on loopback and prints
// Markdown table rows. Usage: `swap-bench [proxy] [swap] [reload] [llama] [memory]` (default: all).
// `swap-bench compare OTHER_SWAP_SERVER [ROUNDS]`: this swap-server against another
// build of it, interleaved in front of one backend (see `ProxyComparison`).
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "compare" {
    do {
        let rounds = CommandLine.arguments.count > 3 ? Int(CommandLine.arguments[3]) ?? 2000 : 2000
        try await ProxyComparison.run(other: CommandLine.arguments[2], rounds: rounds)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("swap-bench: \(error)\n".utf8))
        exit(1)
    }
}
exit(await runBenchmarks(Set(CommandLine.arguments.dropFirst())))
