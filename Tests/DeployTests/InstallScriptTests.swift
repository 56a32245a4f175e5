import Foundation
import SwapTestSupport
import Testing

/// `scripts/install.sh` into a scratch prefix, with the binaries of this build
/// (`--bin-dir`: a release build takes far too long for a test run; the install steps
/// after the build are the same).
@Suite("install script", .serialized)
struct InstallScriptTests {
    static let script = TestPaths.packageRoot.appendingPathComponent("scripts/install.sh").path

    static let expected = [
        "bin/swap-server", "bin/swap-lint",
        "share/bash-completion/completions/swap-server", "share/bash-completion/completions/swap-lint",
        "share/zsh/site-functions/_swap-server", "share/zsh/site-functions/_swap-lint",
        "share/fish/vendor_completions.d/swap-server.fish", "share/fish/vendor_completions.d/swap-lint.fish",
        "share/man/man1/swap-server.1", "share/man/man1/swap-lint.1",
        "share/swap/examples/demo.yaml", "share/swap/config.schema.json",
        "lib/systemd/system/swap-server.service", "lib/sysusers.d/swap-server.conf",
    ]

    @Test("installs binaries, completions, man pages, examples and the unit, and lists them")
    func install() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let prefix = directory.appendingPathComponent("prefix")
            let outcome = try await DeployTools.run(
                "/bin/bash", [Self.script, "--prefix", prefix.path, "--bin-dir", ServerHarness.binaries.path])
            #expect(outcome.status == 0, "\(outcome.all)")
            for path in Self.expected {
                let size =
                    (try? FileManager.default.attributesOfItem(atPath: prefix.appendingPathComponent(path).path))?[
                        .size] as? Int ?? 0
                #expect(size > 0, "\(path) was not installed")
                #expect(outcome.output.contains("  \(path)\n"), "the script does not list \(path)")
            }
            let unit = try String(
                contentsOf: prefix.appendingPathComponent("lib/systemd/system/swap-server.service"), encoding: .utf8)
            #expect(unit.contains("ExecStart=\(prefix.path)/bin/swap-server --config"))

            // The installed swap-lint runs, and its bash completion offers what its help lists.
            let version = try await DeployTools.run(prefix.appendingPathComponent("bin/swap-lint").path, ["--version"])
            #expect(version.status == 0)
            let complete = { (words: [String]) async throws -> [String] in
                // What bash sets before it calls a completion function (-F).
                let quoted = words.map { "'\($0)'" }.joined(separator: " ")
                let function = words[0] == "swap-lint" ? "_swap_lint" : "_swap-server"
                let script = """
                    source '\(prefix.path)/share/bash-completion/completions/\(words[0])'
                    COMP_WORDS=(\(quoted)); COMP_CWORD=\(words.count - 1)
                    COMP_LINE='\(words.joined(separator: " "))'; COMP_POINT=${#COMP_LINE}
                    \(function) '\(words[0])' '\(words.last!)' '\(words[words.count - 2])'
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """
                let result = try await DeployTools.run("/bin/bash", ["-c", script], in: directory)
                return result.output.split(separator: "\n").map(String.init)
            }
            #expect(try await complete(["swap-lint", "ch"]) == ["check"])
            #expect(try await complete(["swap-lint", "check", "--format", "j"]) == ["json"])
            #expect(Set(try await complete(["swap-lint", "plan", "--"])).isSuperset(of: ["--model", "--config-dir"]))
            #expect(try await complete(["swap-server", "--watch-c"]) == ["--watch-config"])
            #expect(try await complete(["swap-server", "--conf"]).contains("--config"))

            // The man pages render without warnings and carry the help text.
            for (page, phrases) in [
                ("swap-lint", ["--fail-level", "explain", "Exit codes"]),
                ("swap-server", ["--watch-config", "--listen"]),
            ] {
                let rendered = try await DeployTools.run(
                    "/usr/bin/man",
                    ["--warnings", "-l", prefix.appendingPathComponent("share/man/man1/\(page).1").path],
                    environment: ["MANWIDTH": "100", "PAGER": "cat"])
                #expect(rendered.status == 0 && rendered.error.isEmpty, "\(rendered.error)")
                for phrase in phrases {
                    #expect(rendered.output.contains(phrase), "\(page): \(phrase)")
                }
            }
        }
    }

    @Test(
        "the zsh and fish completions parse, and complete what the help lists",
        .enabled(if: DeployTools.available("zsh", "fish"), DeployTools.skipReason("zsh", "fish")))
    func zshAndFish() async throws {
        let zsh = try DeployTools.require("zsh")
        let fish = try DeployTools.require("fish")
        try await ServerHarness.withTemporaryDirectory { directory in
            let prefix = directory.appendingPathComponent("prefix")
            let outcome = try await DeployTools.run(
                "/bin/bash", [Self.script, "--prefix", prefix.path, "--bin-dir", ServerHarness.binaries.path])
            #expect(outcome.status == 0, "\(outcome.all)")
            let share = prefix.appendingPathComponent("share").path
            for tool in ["swap-server", "swap-lint"] {
                let zshFile = "\(share)/zsh/site-functions/_\(tool)"
                let zshCheck = try await DeployTools.run(zsh, ["-n", zshFile])
                #expect(zshCheck.status == 0 && zshCheck.all.isEmpty, "\(tool): \(zshCheck.all)")
                let fishFile = "\(share)/fish/vendor_completions.d/\(tool).fish"
                let fishCheck = try await DeployTools.run(fish, ["--no-execute", fishFile])
                #expect(fishCheck.status == 0 && fishCheck.all.isEmpty, "\(tool): \(fishCheck.all)")
            }
            // fish completes from the generated rules itself.
            let fishFile = "\(share)/fish/vendor_completions.d/swap-lint.fish"
            // From the empty directory: fish adds file names of the working directory that
            // match (the package root's `Plugins/` for `pl`).
            let candidates = { (line: String) async throws -> [String] in
                let result = try await DeployTools.run(
                    fish, ["-c", "cd '\(directory.path)'; source '\(fishFile)'; complete -C '\(line)'"])
                return result.output.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
            }
            #expect(try await candidates("swap-lint check --format ") == ["github", "gnu", "human", "json", "sarif"])
            #expect(try await candidates("swap-lint pl") == ["plan"])
            #expect(try await candidates("swap-lint --str") == ["--strict"], "check is the default command")
            // zsh runs the file as the body of the autoloaded `_swap-lint` while completing
            // `swap-lint plan --`: `plan`'s option specs reach _arguments (stubbed to print them).
            let script = """
                _arguments() { print -rl -- "$@" }; _describe() { print -r -- describe }
                words=(swap-lint plan --); CURRENT=3
                source '\(share)/zsh/site-functions/_swap-lint'
                """
            let specs = try await DeployTools.run(zsh, ["-f", "-c", script])
            #expect(specs.output.contains("--model[Show only this model.]"), "\(specs.all)")
            #expect(!specs.output.contains("--fail-level"), "check's options are not offered for plan")
        }
    }

    @Test("refuses clearly, installing nothing, when a build dependency is missing")
    func missingDependency() async throws {
        try await ServerHarness.withTemporaryDirectory { directory in
            let prefix = directory.appendingPathComponent("prefix")
            // No swift on this PATH, so the build cannot run.
            let outcome = try await DeployTools.run(
                "/bin/bash", [Self.script, "--prefix", prefix.path], environment: ["PATH": "/usr/bin:/bin"])
            #expect(outcome.status == 1)
            #expect(
                outcome.error.contains("missing build dependencies") && outcome.error.contains("swift"),
                "\(outcome.all)")
            #expect(!FileManager.default.fileExists(atPath: prefix.path))
            let relative = try await DeployTools.run("/bin/bash", [Self.script, "--prefix", "relative/dir"])
            #expect(relative.status == 1 && relative.error.contains("absolute"))
        }
    }
}
