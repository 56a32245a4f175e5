import Foundation
import SwapTestSupport
import Testing

/// `deploy/kubernetes/`: valid Kubernetes objects (kubernetes-validate, with the schemas
/// it ships, so offline), configs in the ConfigMaps that swap-lint and the schema accept,
/// and the pieces the deployment relies on.
@Suite("Kubernetes manifests")
struct KubernetesManifestTests {
    static let folder = TestPaths.packageRoot.appendingPathComponent("deploy/kubernetes")

    static var manifests: [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted().map { folder.appendingPathComponent($0) }
    }

    /// Every object of every manifest, as JSON values.
    static func objects() async throws -> [[String: Any]] {
        var all: [[String: Any]] = []
        for file in manifests { all += try await DeployTools.yamlDocuments(file) }
        return all
    }

    @Test(
        "kubernetes-validate --strict accepts every manifest and rejects a misspelt field",
        .enabled(if: DeployTools.available("kubernetes-validate"), DeployTools.skipReason("kubernetes-validate")))
    func validate() async throws {
        let tool = try DeployTools.require("kubernetes-validate")
        #expect(Self.manifests.count >= 4)
        let outcome = try await DeployTools.run(tool, ["--strict"] + Self.manifests.map(\.path))
        #expect(outcome.status == 0, "\(outcome.all)")
        #expect(outcome.all.components(separatedBy: " passed for resource ").count - 1 == 11, "\(outcome.all)")

        try await ServerHarness.withTemporaryDirectory { directory in
            let bad = directory.appendingPathComponent("bad.yaml")
            let text = try String(contentsOf: Self.folder.appendingPathComponent("20-front.yaml"), encoding: .utf8)
            try text.replacingOccurrences(of: "readinessProbe:", with: "readinesProbe:").write(
                to: bad, atomically: true, encoding: .utf8)
            let flagged = try await DeployTools.run(tool, ["--strict", bad.path])
            #expect(flagged.status != 0 && flagged.all.contains("readinesProbe"), "\(flagged.all)")
        }
    }

    @Test(
        "each swap-server runs --watch-config on its mounted ConfigMap, with probes, scrape annotations and resources",
        .enabled(if: DeployTools.available("pre-commit"), DeployTools.skipReason("pre-commit (its Python has PyYAML)")))
    func deployments() async throws {
        let objects = try await Self.objects()
        let deployments = objects.filter { $0["kind"] as? String == "Deployment" }
        let configMaps = Set(
            objects.filter { $0["kind"] as? String == "ConfigMap" }.compactMap {
                ($0["metadata"] as? [String: Any])?["name"] as? String
            })
        let services = objects.filter { $0["kind"] as? String == "Service" }
        #expect(deployments.count == 3 && services.count == 3)
        for deployment in deployments {
            let name = (deployment["metadata"] as? [String: Any])?["name"] as? String ?? "?"
            let spec = deployment["spec"] as? [String: Any] ?? [:]
            let template = spec["template"] as? [String: Any] ?? [:]
            let annotations = (template["metadata"] as? [String: Any])?["annotations"] as? [String: String] ?? [:]
            #expect(annotations["prometheus.io/scrape"] == "true", "\(name)")
            #expect(annotations["prometheus.io/path"] == "/metrics", "\(name)")
            let pod = template["spec"] as? [String: Any] ?? [:]
            let container = try #require((pod["containers"] as? [[String: Any]])?.first)
            let arguments = container["args"] as? [String] ?? []
            #expect(arguments.contains("--watch-config"), "\(name)")
            let configPath = try #require(arguments.firstIndex(of: "--config").map { arguments[$0 + 1] })
            let mounts = container["volumeMounts"] as? [[String: Any]] ?? []
            let mount = try #require(mounts.first { configPath.hasPrefix(($0["mountPath"] as? String ?? "?") + "/") })
            #expect(mount["subPath"] == nil, "\(name): a subPath mount is never updated by the kubelet")
            let volume = (pod["volumes"] as? [[String: Any]] ?? []).first {
                $0["name"] as? String == mount["name"] as? String
            }
            let configMap = (volume?["configMap"] as? [String: Any])?["name"] as? String
            #expect(configMap.map(configMaps.contains) == true, "\(name) mounts a ConfigMap of this folder")
            for probe in ["readinessProbe", "livenessProbe"] {
                #expect(
                    ((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String
                        == "/health")
            }
            let resources = container["resources"] as? [String: Any] ?? [:]
            #expect((resources["requests"] as? [String: Any])?["cpu"] != nil, "\(name)")
            let limits = resources["limits"] as? [String: Any] ?? [:]
            if name.hasPrefix("swap-gpu-") {
                #expect(limits["nvidia.com/gpu"] as? Int == 1, "\(name)")
                #expect((spec["strategy"] as? [String: Any])?["type"] as? String == "Recreate", "\(name)")
                #expect(((pod["nodeSelector"] as? [String: String]) ?? [:])["kubernetes.io/hostname"] != nil)
            }
        }
    }

    @Test(
        "the configs in the ConfigMaps pass swap-lint --strict and the JSON Schema",
        .enabled(
            if: DeployTools.available("pre-commit", "check-jsonschema"),
            DeployTools.skipReason("pre-commit", "check-jsonschema")))
    func configMapConfigs() async throws {
        let configs = try await Self.objects().filter { $0["kind"] as? String == "ConfigMap" }.compactMap {
            ($0["data"] as? [String: String])?["config.yaml"]
        }
        #expect(configs.count == 3)
        try await ServerHarness.withTemporaryDirectory { directory in
            var paths: [String] = []
            for (index, config) in configs.enumerated() {
                let url = directory.appendingPathComponent("config-\(index).yaml")
                try config.write(to: url, atomically: true, encoding: .utf8)
                paths.append(url.path)
            }
            // The keys come from a Secret through the environment.
            let lint = try await DeployTools.run(
                ServerHarness.binaries.appendingPathComponent("swap-lint").path, ["check", "--strict"] + paths,
                environment: ["SWAP_PEER_KEY": "k1", "SWAP_CLIENT_KEY": "k2"])
            #expect(lint.status == 0, "\(lint.all)")
            let schema = try await DeployTools.run(
                try DeployTools.require("check-jsonschema"),
                ["--schemafile", TestPaths.packageRoot.appendingPathComponent("schemas/config.schema.json").path]
                    + paths)
            #expect(schema.status == 0, "\(schema.all)")
        }
    }
}
