import ArgumentParser
import ConfigLang
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif
import Runtime

ProcessLauncher.runIfRequested()
IsolatedCompile.runIfRequested()

/// Rewrites llama-swap's single-dash flags (`-config`, `-listen`, …) to ours, so an
/// existing systemd unit or container command runs unchanged.
func normalisedArguments(_ arguments: [String]) -> [String] {
    let singleDash: Set<String> = ["-config", "-listen", "-watch-config", "-config-dir", "-version"]
    return arguments.map { singleDash.contains($0) ? "-" + $0 : $0 }
}

/// `swap-server`: serve a swap / llama-swap config.
struct SwapServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swap-server",
        abstract: "Serve local models behind one OpenAI/Anthropic-compatible endpoint, swapping them on demand.",
        version: SwapVersion.current)

    @Option(help: "The config file (llama-swap format).") var config: String
    @Option(name: .customLong("config-dir"), help: "A directory of config fragments merged into the config.")
    var configDirectory: String?
    @Option(help: "Address to listen on, HOST:PORT (default 127.0.0.1:8080; port 0 picks a free one).")
    var listen: String = "127.0.0.1:8080"
    @Flag(name: .customLong("watch-config"), help: "Reload the config when its file changes.")
    var watchConfig = false
    @Option(
        name: .customLong("shutdown-grace"),
        help: "Seconds SIGTERM/SIGINT let in-flight requests finish before ending them and exiting.")
    var shutdownGrace: Double = 10
    @Option(
        name: .customLong("header-timeout"), help: "Seconds a new connection has to send its request headers.")
    var headerTimeout: Double = 30
    @Option(name: .customLong("body-timeout"), help: "Seconds a request body may pause between two parts.")
    var bodyTimeout: Double = 60
    @Option(
        name: .customLong("idle-timeout"),
        help: "Seconds a kept-alive connection may wait for its next request before it is closed.")
    var idleTimeout: Double = 60
    @Option(
        name: .customLong("write-timeout"),
        help: "Seconds an answer (a stream too) may wait for a client that stopped reading before it is closed.")
    var writeTimeout: Double = 60
    @Option(
        name: .customLong("max-connections"), help: "Most client connections at once; one more gets a 503.")
    var maxConnections: Int = 1024

    func validate() throws {
        for (flag, value) in [
            ("--shutdown-grace", shutdownGrace), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout),
            ("--idle-timeout", idleTimeout), ("--write-timeout", writeTimeout),
        ] where !(value > 0 && value < 1e9) {
            throw ValidationError("\(flag) must be a number of seconds above 0, for example 30")
        }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
    }

    private static func seconds(_ value: Double) -> Duration { .milliseconds(Int64(value * 1000)) }

    /// Runs the server until SIGINT/SIGTERM.
    func serve() async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else {
            throw ValidationError("--listen must be HOST:PORT, for example 127.0.0.1:8080")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "0.0.0.0" }
        let launcher =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let options = SwapServerOptions(
            configFile: config, configDirectory: configDirectory, host: host, port: port, watchConfig: watchConfig,
            launcher: launcher, shutdownGrace: Self.seconds(shutdownGrace),
            connectionLimits: ConnectionLimits(
                headerTimeout: Self.seconds(headerTimeout), bodyTimeout: Self.seconds(bodyTimeout),
                idleTimeout: Self.seconds(idleTimeout), writeTimeout: Self.seconds(writeTimeout),
                maxConnections: maxConnections),
            build: BuildInfo(commit: BuildStamp.commit, date: BuildStamp.date))
        do {
            try await SwapServer(options: options).run()
        } catch let error as StartupError {
            let message = Array("swap-server: \(error.description)\n".utf8)
            _ = message.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            throw ExitCode(1)
        }
    }
}

do {
    let command = try SwapServerCommand.parse(normalisedArguments(Array(CommandLine.arguments.dropFirst())))
    try await command.serve()
} catch {
    SwapServerCommand.exit(withError: error)
}
