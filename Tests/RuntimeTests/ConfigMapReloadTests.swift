import Foundation
import SwapTestSupport
import Testing

/// A Kubernetes ConfigMap mounted as a volume, updated the way the kubelet updates it,
/// under a running `swap-server --watch-config`.
///
/// The kubelet never writes the visible file: `config.yaml` is a symlink to
/// `..data/config.yaml`, `..data` a symlink to a timestamped directory. An update writes
/// a new timestamped directory, points a new symlink `..data_tmp` at it, renames that
/// over `..data` (one atomic step) and deletes the old directory.
@Suite("ConfigMap volume updates", .serialized)
struct ConfigMapReloadTests {
    static func config(startPort: Int, models: [String]) -> String {
        "startPort: \(startPort)\nmodels:\n"
            + models.map { "  \($0):\n    cmd: \(ServerHarness.fakeBackend) --port ${PORT}\n" }.joined()
    }

    /// What the kubelet's atomic writer does for one update of `files` in `volume`.
    static func kubeletWrite(_ files: [String: String], into volume: URL, stamp: String) throws {
        let manager = FileManager.default
        let data = volume.appendingPathComponent("..data")
        let old = try? manager.destinationOfSymbolicLink(atPath: data.path)
        let directory = volume.appendingPathComponent("..\(stamp)")
        try manager.createDirectory(at: directory, withIntermediateDirectories: false)
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        let temporary = volume.appendingPathComponent("..data_tmp")
        try manager.createSymbolicLink(atPath: temporary.path, withDestinationPath: directory.lastPathComponent)
        guard rename(temporary.path, data.path) == 0 else { throw HarnessError("rename ..data_tmp: errno \(errno)") }
        for name in files.keys where !manager.fileExists(atPath: volume.appendingPathComponent(name).path) {
            try manager.createSymbolicLink(
                atPath: volume.appendingPathComponent(name).path, withDestinationPath: "..data/\(name)")
        }
        if let old { try manager.removeItem(at: volume.appendingPathComponent(old)) }
    }

    @Test("a kubelet-style ConfigMap update reloads the running server without a restart")
    func kubeletUpdate() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let volume = directory.appendingPathComponent("etc-swap")
            try FileManager.default.createDirectory(at: volume, withIntermediateDirectories: true)
            let port = try ServerHarness.freePort()
            try Self.kubeletWrite(
                ["config.yaml": Self.config(startPort: port, models: ["first"])], into: volume,
                stamp: "2026_12_07_02_00_00.000000001")
            try await ServerHarness.withServer(
                configURL: volume.appendingPathComponent("config.yaml"), directory: directory,
                arguments: ["--watch-config"]
            ) { server in
                #expect(try await ServerIntegrationTests.chat(server, "first").status == 200)
                let backend = try #require(try await ServerIntegrationTests.running(server)["first"])

                try Self.kubeletWrite(
                    ["config.yaml": Self.config(startPort: port, models: ["first", "second"])],
                    into: volume, stamp: "2026_12_07_02_01_00.000000002")
                let reloaded = await ServerIntegrationTests.eventually(seconds: 20) {
                    let list = try? await TestHTTP.send("GET", server.base + "/v1/models")
                    return list?.body.contains("\"second\"") == true
                }
                #expect(reloaded, "the new ConfigMap contents were loaded; output:\n\(server.output.all.suffix(20))")
                #expect(
                    try await ServerIntegrationTests.running(server)["first"] == backend,
                    "the unchanged model kept its backend process")
                #expect(try await ServerIntegrationTests.chat(server, "second").status == 200)
                #expect(Polling.isAlive(Int(server.pid)), "same swap-server process")
                let status = try await TestHTTP.send("GET", server.base + "/api/config/status").json
                #expect((status?["applied"] as? Int ?? 0) >= 1)
                #expect((status?["lastAttempt"] as? [String: Any])?["trigger"] as? String == "watch")

                // A second update the same way: the watch follows the new ..data target too.
                try Self.kubeletWrite(
                    ["config.yaml": Self.config(startPort: port, models: ["third"])], into: volume,
                    stamp: "2026_12_07_02_02_00.000000003")
                #expect(
                    await ServerIntegrationTests.eventually(seconds: 20) {
                        let list = try? await TestHTTP.send("GET", server.base + "/v1/models")
                        return list?.body.contains("\"third\"") == true && list?.body.contains("\"first\"") == false
                    })
            }
        }
    }
}
