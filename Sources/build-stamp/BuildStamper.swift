import Foundation

/// `build-stamp PACKAGE OUTPUT`: writes OUTPUT, a Swift file whose `BuildStamp` holds the
/// commit PACKAGE's git checkout is at and the time it runs (the build-time half of the
/// StampBuild plugin, which runs it when the checkout's HEAD moves). Without git or a checkout (a source archive) the commit is
/// "unknown"; the build goes on.
@main
struct BuildStamper {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 2, let package = arguments.first, let output = arguments.last else {
            FileHandle.standardError.write(Data("usage: build-stamp PACKAGE OUTPUT\n".utf8))
            exit(2)
        }
        let commit = headCommit(of: package) ?? "unknown"
        let date = Date.now.formatted(.iso8601)
        let swift = """
            // Generated at build time by the StampBuild plugin; do not edit.

            /// Where this binary came from: the git commit of the source tree, and when a build
            /// at that commit first stamped it.
            enum BuildStamp {
                static let commit = "\(commit)"
                static let date = "\(date)"
            }

            """
        try Data(swift.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    }

    /// The full hash of `package`'s checked-out commit, or nil when git cannot tell.
    static func headCommit(of package: String) -> String? {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", package, "rev-parse", "--verify", "--quiet", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        do { try git.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        git.waitUntilExit()
        guard git.terminationStatus == 0,
            let hash = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            hash.count == 40, hash.allSatisfy(\.isHexDigit)
        else { return nil }
        return hash
    }
}
