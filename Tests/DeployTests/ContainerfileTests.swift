import Foundation
import SwapTestSupport
import Testing

/// `deploy/container/Containerfile`, read the way a builder reads it. These machines
/// reach no container registry, so the file's base images (the Swift toolchain image
/// and Debian slim) cannot be pulled and the image cannot be built here; this lints the
/// file instead.
@Suite("Containerfile")
struct ContainerfileTests {
    static let file = TestPaths.packageRoot.appendingPathComponent("deploy/container/Containerfile")

    /// One instruction: its keyword and its arguments, continuation lines joined.
    struct Instruction {
        var keyword: String
        var arguments: String
        var stage: Int
    }

    /// The instructions, with the index of the stage each belongs to (-1 before the first FROM).
    static func instructions() throws -> [Instruction] {
        var result: [Instruction] = []
        var pending = ""
        var stage = -1
        for raw in try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && (line.isEmpty || line.hasPrefix("#")) { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast() + " "
                continue
            }
            let whole = pending + line
            pending = ""
            let keyword = String(whole.prefix { !$0.isWhitespace }).uppercased()
            if keyword == "FROM" { stage += 1 }
            result.append(
                Instruction(
                    keyword: keyword, arguments: whole.dropFirst(keyword.count).trimmingCharacters(in: .whitespaces),
                    stage: stage))
        }
        return result
    }

    @Test("two stages: a Swift toolchain build, a Debian slim runtime with libyaml and libinotifytools")
    func stages() throws {
        let all = try Self.instructions()
        let known: Set<String> = [
            "ARG", "FROM", "RUN", "WORKDIR", "COPY", "USER", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD", "ENV",
            "LABEL",
        ]
        #expect(all.allSatisfy { known.contains($0.keyword) }, "\(all.map(\.keyword))")
        let arguments = Dictionary(
            all.filter { $0.keyword == "ARG" }.map {
                let parts = $0.arguments.split(separator: "=", maxSplits: 1).map(String.init)
                return (parts[0], parts.count > 1 ? parts[1] : "")
            }, uniquingKeysWith: { a, _ in a })
        #expect(arguments["SWIFT_IMAGE"]?.contains("/swift:6.") == true)
        #expect(arguments["RUNTIME_IMAGE"]?.hasSuffix("debian:bookworm-slim") == true)
        let froms = all.filter { $0.keyword == "FROM" }.map(\.arguments)
        #expect(froms == ["${SWIFT_IMAGE} AS build", "${RUNTIME_IMAGE} AS runtime"])

        let build = all.filter { $0.stage == 0 && $0.keyword == "RUN" }.map(\.arguments).joined(separator: " ")
        #expect(build.contains("libyaml-dev") && build.contains("libinotifytools0-dev"))
        #expect(build.contains("swift build -c release --static-swift-stdlib --product swap-server"))
        let runtime = all.filter { $0.stage == 1 && $0.keyword == "RUN" }.map(\.arguments).joined(separator: " ")
        #expect(runtime.contains("libyaml-0-2") && runtime.contains("libinotifytools0"))
        #expect(all.contains { $0.stage == 1 && $0.keyword == "COPY" && $0.arguments.hasPrefix("--from=build ") })
    }

    @Test("runs as a non-root user, checks /health, serves the documented config path with --watch-config")
    func runtime() throws {
        let final = try Self.instructions().filter { $0.stage == 1 }
        let users = final.filter { $0.keyword == "USER" }.map(\.arguments)
        #expect(users == ["swap"])
        let runtime = final.filter { $0.keyword == "RUN" }.map(\.arguments).joined(separator: " ")
        #expect(runtime.contains("useradd --system --uid 10001"), "the user exists and is not root")
        let userIndex = try #require(final.firstIndex { $0.keyword == "USER" })
        #expect(final[userIndex...].allSatisfy { $0.keyword != "RUN" }, "nothing runs as root after USER")
        let health = try #require(final.first { $0.keyword == "HEALTHCHECK" }?.arguments)
        #expect(health.contains("CMD") && health.contains("http://127.0.0.1:8080/health"))
        let entrypoint = try #require(final.first { $0.keyword == "ENTRYPOINT" }?.arguments)
        #expect(
            try JSONSerialization.jsonObject(with: Data(entrypoint.utf8)) as? [String] == ["/usr/local/bin/swap-server"]
        )
        let command = try #require(final.first { $0.keyword == "CMD" }?.arguments)
        let words = try #require(try JSONSerialization.jsonObject(with: Data(command.utf8)) as? [String])
        #expect(words == ["--config", "/etc/swap/config.yaml", "--listen", "0.0.0.0:8080", "--watch-config"])
        #expect(final.contains { $0.keyword == "EXPOSE" && $0.arguments == "8080" })
        let readme = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("/etc/swap/config.yaml"), "the README documents the config path")
    }

    @Test("what it copies from the build context exists, and .containerignore keeps .build out")
    func context() throws {
        for copy in try Self.instructions() where copy.keyword == "COPY" && !copy.arguments.hasPrefix("--from") {
            let source = try #require(copy.arguments.split(separator: " ").first.map(String.init))
            #expect(
                FileManager.default.fileExists(atPath: TestPaths.packageRoot.appendingPathComponent(source).path),
                "COPY \(source): not in the repository")
        }
        let ignore = try String(
            contentsOf: TestPaths.packageRoot.appendingPathComponent(".containerignore"), encoding: .utf8)
        #expect(ignore.split(separator: "\n").contains(".build"))
    }

    /// Packages every debian:bookworm-slim image has (Essential, or needed by apt).
    static let slimPackages: Set<String> = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g"]

    @Test(
        "the runtime stage has every shared library swap-server loads, besides the Swift runtime it links in",
        .enabled(if: DeployTools.available("ldd", "dpkg"), DeployTools.skipReason("ldd", "dpkg")))
    func runtimeLibraries() async throws {
        let runtime = try Self.instructions().filter { $0.stage == 1 && $0.keyword == "RUN" }.map(\.arguments)
            .joined(separator: " ")
        // The words of `apt-get install … PACKAGE…` up to the next `&&`.
        let words = runtime.split(separator: " ").map(String.init)
        let start = try #require(words.firstIndex(of: "--no-install-recommends"))
        let listed = words[(start + 1)...].prefix { $0 != "&&" }
        let installed = Set(listed).union(Self.slimPackages)
        let ldd = try await DeployTools.run(
            try DeployTools.require("ldd"), [ServerHarness.binaries.appendingPathComponent("swap-server").path])
        #expect(ldd.status == 0, "\(ldd.all)")
        // `name => /path (address)`; the Swift runtime is linked in (--static-swift-stdlib).
        let libraries = ldd.output.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count >= 3, parts[1] == "=>", parts[2].hasPrefix("/") else { return nil }
            return URL(fileURLWithPath: String(parts[2])).resolvingSymlinksInPath().path
        }.filter { !$0.contains("/swift/") }
        #expect(libraries.contains { $0.contains("libyaml") } && libraries.contains { $0.contains("libinotifytools") })
        for library in libraries {
            // With merged /usr, dpkg knows some libraries by their /lib path.
            var package = "?"
            for path in [library, library.hasPrefix("/usr/") ? String(library.dropFirst(4)) : library] {
                let owner = try await DeployTools.run(try DeployTools.require("dpkg"), ["-S", path])
                if owner.status == 0, let name = owner.output.split(separator: ":").first {
                    package = String(name)
                    break
                }
            }
            #expect(installed.contains(package), "\(library) comes from \(package), which the runtime stage lacks")
        }
    }
}
