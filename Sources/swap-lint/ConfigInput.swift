import ArgumentParser
import ConfigLang
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads config files from disk for the commands (exit 3 when one cannot be read).
enum ConfigInput {
    /// The files, then the directory's `*.yaml`/`*.yml` files sorted by name.
    static func load(files: [String], directory: String?) throws -> [SourceFile] {
        var paths = files
        if let directory {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                Console.error("swap-lint: cannot read directory \(directory)\n")
                throw ExitCode(3)
            }
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
            }
        }
        return try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                Console.error("swap-lint: cannot read \(path): no such file or not readable\n")
                throw ExitCode(3)
            }
            return SourceFile(name: path, bytes: [UInt8](data))
        }
    }

    /// Sources keyed by name, as the renderers want them.
    static func byName(_ sources: [SourceFile]) -> [String: SourceFile] {
        Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
