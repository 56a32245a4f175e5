import ConfigLang

/// Reads config files from disk for the commands (exit 3 when one cannot be read).
enum ConfigInput {
    /// The files, then the directory's `*.yaml`/`*.yml` files sorted by name.
    static func load(files: [String], directory: String?) throws(ExitStatus) -> [SourceFile] {
        guard let paths = paths(files: files, directory: directory) else {
            Console.error("swap-lint: cannot read directory \(directory ?? "")\n")
            throw .unreadable
        }
        var sources: [SourceFile] = []
        for path in paths {
            guard let bytes = FileSystem.contents(atPath: path) else {
                Console.error("swap-lint: cannot read \(path): no such file or not readable\n")
                throw .unreadable
            }
            sources.append(SourceFile(name: path, bytes: bytes))
        }
        return sources
    }

    /// The paths ``load(files:directory:)`` reads, in order; nil when `directory`
    /// cannot be listed.
    static func paths(files: [String], directory: String?) -> [String]? {
        guard let directory else { return files }
        guard let names = FileSystem.directoryEntries(atPath: directory) else { return nil }
        return files
            + names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
            }
    }

    /// Sources keyed by name, as the renderers want them.
    static func byName(_ sources: [SourceFile]) -> [String: SourceFile] {
        Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
