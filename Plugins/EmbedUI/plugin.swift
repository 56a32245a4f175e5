import Foundation
import PackagePlugin

/// Builds the web UI's files (`UI/web/` in the target) into the target as Swift string
/// literals, so swap-server stays one installable binary that serves its UI with no
/// files beside it. Runs again whenever a file under `UI/web/` changes.
@main
struct EmbedUI: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let web = target.directoryURL.appending(path: "UI/web")
        let files = try Self.files(under: web)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedUIFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) web UI files",
                executable: try context.tool(named: "ui-embedder").url,
                arguments: [web.path(percentEncoded: false), output.path(percentEncoded: false)]
                    + files.map { $0.path(percentEncoded: false) },
                inputFiles: files,
                outputFiles: [output])
        ]
    }

    /// Every regular file under `directory`, sorted by path.
    static func files(under directory: URL) throws -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in walker
        where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            files.append(url)
        }
        return files.sorted { $0.path < $1.path }
    }
}
