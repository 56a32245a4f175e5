import ConfigLang
import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// The child-process compile check of a reload (`swap-server __swap-compile`).
@Suite struct IsolatedCompileTests {
    static func script(_ body: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent("checker.sh")
        try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url.path
    }

    @Test("files survive the framing to the child byte for byte")
    func framing() throws {
        let files = [
            SourceFile(name: "config.yaml", bytes: Array("models: {}\n".utf8)),
            SourceFile(name: "dir/with space ü.yaml", bytes: [0, 10, 255, 32]),
            SourceFile(name: "empty.yaml", bytes: []),
        ]
        var framed: [UInt8] = []
        for file in files {
            framed += Array("\(file.name.utf8.count) \(file.bytes.count)\n".utf8) + Array(file.name.utf8) + file.bytes
        }
        let decoded = try #require(IsolatedCompile.sourceFiles(framed))
        #expect(decoded.map(\.name) == files.map(\.name))
        #expect(decoded.map(\.bytes) == files.map(\.bytes))
        #expect(IsolatedCompile.sourceFiles(Array("5 3\nab".utf8)) == nil)
    }

    @Test("swap-server's compile check passes every hostile shape (each ends in diagnostics)")
    func hostileShapesEndNormally() async throws {
        let server = ServerHarness.swapServer
        for shape in HostileConfigs.all() {
            let failure = await IsolatedCompile.check(
                [SourceFile(name: "config.yaml", text: shape.text)], executable: server)
            #expect(failure == nil, "\(shape): \(failure ?? "")")
        }
    }

    @Test("a check that crashes, exits non-zero or cannot run is reported, not thrown")
    func failuresAreReported() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let file = [SourceFile(name: "config.yaml", text: "models: {}\n")]
            let crashing = try Self.script("cat >/dev/null; kill -SEGV $$", in: directory)
            let crashed = await IsolatedCompile.check(file, executable: crashing)
            #expect(crashed?.contains("crashed (signal 11)") == true, "\(crashed ?? "nil")")
            let failing = try Self.script("cat >/dev/null; echo broken >&2; exit 3", in: directory)
            let failed = await IsolatedCompile.check(file, executable: failing)
            #expect(failed == "the compile check exited with status 3: broken")
            let missing = await IsolatedCompile.check(file, executable: directory.path + "/nonexistent")
            #expect(missing?.hasPrefix("the compile check could not run") == true)
        }
    }
}
