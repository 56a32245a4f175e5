import Foundation
import PackagePlugin

/// Records the git commit of the source tree and the time of stamping in the target
/// (`BuildStamp`), for `/api/version` and `swap_build_info`. Runs again only when the
/// checkout's HEAD moves (a commit, checkout or reset rewrites the files it watches), so
/// the time is that of the first build at the current commit.
@main
struct StampBuild: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildStamp.swift")
        return [
            .buildCommand(
                displayName: "Stamping the build with its git commit",
                executable: try context.tool(named: "build-stamp").url,
                arguments: [package.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: Self.headFiles(of: package),
                outputFiles: [output])
        ]
    }

    /// The files git rewrites when the checkout's HEAD moves (`HEAD`, and its log, which
    /// also changes on a commit to the current branch), where they exist. `.git` is a
    /// directory in a clone and a file naming the directory in a worktree.
    static func headFiles(of package: URL) -> [URL] {
        let dotGit = package.appending(path: ".git")
        var gitDirectory = dotGit
        if let text = try? String(contentsOf: dotGit, encoding: .utf8), text.hasPrefix("gitdir:") {
            let path = text.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            gitDirectory = path.hasPrefix("/") ? URL(fileURLWithPath: path) : package.appending(path: path)
        }
        return [gitDirectory.appending(path: "HEAD"), gitDirectory.appending(path: "logs/HEAD")]
            .filter { FileManager.default.fileExists(atPath: $0.path(percentEncoded: false)) }
    }
}
