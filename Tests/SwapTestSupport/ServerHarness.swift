import AsyncHTTPClient
import Foundation
import NIOCore
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a real `swap-server` process on an OS-chosen port for one test, drains its
/// output, and stops it (SIGTERM) when the test body returns or throws.
public enum ServerHarness {
    /// The directory holding the built executables (next to the test binary).
    public static let binaries: URL = {
        let test = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = test.deletingLastPathComponent()
        // On Linux the runner is `.build/debug/<pkg>PackageTests.xctest`; executables sit beside it.
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("swap-server").path),
            FileManager.default.fileExists(
                atPath: directory.deletingLastPathComponent().appendingPathComponent("swap-server").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }()

    /// The fake backend executable.
    public static var fakeBackend: String { binaries.appendingPathComponent("fake-backend").path }

    /// The swap-server executable.
    public static var swapServer: String { binaries.appendingPathComponent("swap-server").path }

    /// A free TCP port on 127.0.0.1, chosen by the OS (bind to port 0, read, close).
    public static func freePort() throws -> Int {
        let fd = try bound(to: 0)
        defer { close(fd) }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The first of `count` consecutive ports on 127.0.0.1 that are all free now, for a
    /// config's `startPort`. The block lies below Linux's ephemeral range (32768 and up):
    /// the ports after an OS-chosen port are ephemeral too, and any client socket of a
    /// test running alongside may take one of them as its local port before a backend
    /// binds it.
    public static func freePortBlock(count: Int = 64) throws -> Int {
        for _ in 0..<200 {
            let first = Int.random(in: 20_000...(32_000 - count))
            let held = try (first..<first + count).map { port -> Int32? in
                try? bound(to: UInt16(port))
            }
            for fd in held { if let fd { close(fd) } }
            if held.allSatisfy({ $0 != nil }) { return first }
        }
        throw HarnessError("no block of \(count) free ports between 20000 and 32000")
    }

    /// A TCP socket bound to 127.0.0.1:`port` (0: the OS chooses); the caller closes it.
    private static func bound(to port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw HarnessError("bind() to port \(port) failed")
        }
        return fd
    }

    /// A temporary directory removed after `body`.
    public static func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("swap-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }

    /// Writes `config` (with `{FAKE}` replaced by the fake backend's path and
    /// `{START_PORT}` by the first of a block of free ports) and runs swap-server on it for `body`.
    public static func withServer(
        config: String, arguments extra: [String] = [], environment: [String: String] = [:],
        _ body: @Sendable (RunningServer) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let configURL = directory.appendingPathComponent("config.yaml")
            let text = config.replacingOccurrences(of: "{FAKE}", with: fakeBackend)
                .replacingOccurrences(of: "{START_PORT}", with: String(try freePortBlock()))
            try text.write(to: configURL, atomically: true, encoding: .utf8)
            try await withServer(
                configURL: configURL, directory: directory, arguments: extra, environment: environment, body)
        }
    }

    /// Runs swap-server on the config at `configURL` (written by the caller; it may be a
    /// symlink) on an OS-chosen port, with `environment` added to the inherited one, for
    /// `body`; SIGTERM afterwards.
    public static func withServer(
        configURL: URL, directory: URL, arguments extra: [String] = [], environment: [String: String] = [:],
        _ body: @Sendable (RunningServer) async throws -> Void
    ) async throws {
        let output = OutputLog()
        var updates: [Environment.Key: String?] = [:]
        for (name, value) in environment { updates[Environment.Key(rawValue: name)!] = value }
        let result = try await Subprocess.run(
            .path(FilePath(swapServer)),
            arguments: Arguments(["--config", configURL.path, "--listen", "127.0.0.1:0"] + extra),
            environment: .inherit.updating(updates),
            input: .none, output: .sequence, error: .sequence
        ) { execution in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await line in execution.standardOutput.strings() { output.append(line) }
                }
                group.addTask {
                    for try await line in execution.standardError.strings() { output.append(line) }
                }
                let port = try await output.waitForPort()
                let server = RunningServer(
                    port: port, pid: execution.processIdentifier.value, configURL: configURL, directory: directory,
                    output: output)
                var failure: (any Error)?
                do {
                    try await body(server)
                } catch {
                    failure = error
                }
                try? execution.send(signal: .terminate)
                try await group.waitForAll()
                if let failure { throw failure }
            }
        }
        _ = result
    }
}

/// A running server under test.
public struct RunningServer: Sendable {
    /// The port swap-server listens on.
    public let port: Int
    /// swap-server's process ID.
    public let pid: pid_t
    /// The config file the server was started with.
    public let configURL: URL
    /// The test's temporary directory.
    public let directory: URL
    /// The server's output lines.
    public let output: OutputLog

    /// `http://127.0.0.1:PORT`.
    public var base: String { "http://127.0.0.1:\(port)" }

    /// Replaces the config file's text in place.
    public func writeConfig(_ text: String) throws {
        try text.replacingOccurrences(of: "{FAKE}", with: ServerHarness.fakeBackend).write(
            to: configURL, atomically: false, encoding: .utf8)
    }
}

/// Thread-safe collection of a process's output lines.
public final class OutputLog: Sendable {
    private let lines = Mutex<[String]>([])

    /// Adds one line.
    public func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// Every line so far.
    public var all: [String] { lines.withLock { $0 } }

    /// Waits (bounded) for the "listening on HOST:PORT" line and returns the port.
    public func waitForPort() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            for line in all {
                if let range = line.range(of: "swap-server listening on 127.0.0.1:") {
                    let digits = line[range.upperBound...].prefix { $0.isNumber }
                    if let port = Int(digits) { return port }
                }
                if line.contains("swap-server:") && line.contains("error") { throw HarnessError(line) }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("swap-server did not start listening; output:\n" + all.joined(separator: "\n"))
    }
}

import Synchronization

/// A harness failure with a message.
public struct HarnessError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    /// Creates the value.
    public init(_ description: String) { self.description = description }
}
