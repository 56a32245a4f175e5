import Foundation
import SwapTestSupport
import Testing

/// `deploy/systemd/swap-server.service`: systemd's own checker accepts it, and it says
/// what the deployment needs (notify, reload by SIGHUP, a dedicated user, GPU access).
@Suite("systemd unit")
struct SystemdUnitTests {
    static let unit = TestPaths.packageRoot.appendingPathComponent("deploy/systemd/swap-server.service")

    /// The unit's `Name=value` lines (comments and section headers left out).
    static func settings() throws -> [(String, String)] {
        try String(contentsOf: unit, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<equals]), String(line[line.index(after: equals)...]))
        }
    }

    static func values(_ name: String) throws -> [String] {
        try settings().filter { $0.0 == name }.map(\.1)
    }

    @Test(
        "systemd-analyze verify passes with no warning, and flags a misspelt key",
        .enabled(if: DeployTools.available("systemd-analyze"), DeployTools.skipReason("systemd-analyze")))
    func verify() async throws {
        let analyze = try DeployTools.require("systemd-analyze")
        try await ServerHarness.withTemporaryDirectory { directory in
            // verify checks that each Exec program exists: point them at the built binaries.
            let text = try String(contentsOf: Self.unit, encoding: .utf8)
                .replacingOccurrences(of: "/usr/local/bin/", with: ServerHarness.binaries.path + "/")
            let good = directory.appendingPathComponent("swap-server.service")
            try text.write(to: good, atomically: true, encoding: .utf8)
            let outcome = try await DeployTools.run(analyze, ["verify", "--man=no", good.path])
            #expect(outcome.status == 0, "\(outcome.all)")
            #expect(outcome.all.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(outcome.all)")

            // systemd's exposure score stays at or under 4.0 of 10 (its "OK" band; --threshold counts in tenths).
            let security = try await DeployTools.run(
                analyze, ["security", "--offline=true", "--threshold=40", "--no-pager", good.path])
            #expect(security.status == 0, "\(security.all.suffix(400))")
            #expect(security.output.contains("Overall exposure level for swap-server.service"))

            let bad = directory.appendingPathComponent("swap-bad.service")
            try text.replacingOccurrences(of: "\nRestart=", with: "\nRestrat=").write(
                to: bad, atomically: true, encoding: .utf8)
            let flagged = try await DeployTools.run(analyze, ["verify", "--man=no", bad.path])
            #expect(flagged.all.contains("Unknown key"), "\(flagged.all)")
        }
    }

    @Test("Type=notify, reload by SIGHUP, restart on failure, a dedicated user")
    func lifecycle() throws {
        #expect(try Self.values("Type") == ["notify"])
        #expect(try Self.values("NotifyAccess") == ["main"])
        #expect(try Self.values("ExecReload") == ["/bin/kill -HUP $MAINPID"])
        #expect(try Self.values("Restart") == ["on-failure"])
        #expect(try Self.values("User") == ["swap"])
        #expect(try Self.values("KillMode") == ["mixed"])
        let start = try #require(try Self.values("ExecStart").first)
        #expect(start.hasPrefix("/usr/local/bin/swap-server "))
        #expect(start.contains("--config /etc/swap/config.yaml") && start.contains("--watch-config"))
        let sysusers = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent("deploy/systemd/swap-server.sysusers"),
            encoding: .utf8)
        #expect(sysusers.contains("u swap - "))
    }

    @Test("hardened, with the GPU device nodes and groups still reachable")
    func hardeningKeepsGPUs() throws {
        #expect(try Self.values("NoNewPrivileges") == ["yes"])
        #expect(try Self.values("ProtectSystem") == ["strict"])
        #expect(try Self.values("DevicePolicy") == ["closed"])
        #expect(try Self.values("PrivateDevices").allSatisfy { $0 != "yes" }, "PrivateDevices hides /dev/nvidia*")
        let devices = try Self.values("DeviceAllow").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        for device in ["char-nvidia-frontend", "char-nvidia-uvm", "char-drm", "char-kfd"] {
            #expect(devices.contains(device), "DeviceAllow lacks \(device)")
        }
        #expect(try Self.values("SupplementaryGroups") == ["video render"])
        #expect(try Self.values("MemoryDenyWriteExecute").isEmpty, "CUDA needs W+X memory")
    }
}
