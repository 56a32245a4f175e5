import ConfigLang
import FoundationEssentials

/// Reads and compiles the config files. Pure of serving concerns: it only turns files
/// into a plan or diagnostics.
public struct ConfigSource: Sendable {
    /// The main config file.
    public var file: String
    /// An optional directory of fragments merged in (`--config-dir`).
    public var directory: String?

    /// Creates a source.
    public init(file: String, directory: String?) {
        self.file = file
        self.directory = directory
    }

    /// The files, read now; throws with a message when one cannot be read.
    public func read() throws -> [SourceFile] {
        var paths = [file]
        if let directory {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
            }
        }
        return try paths.map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigReadError(message: "cannot read config file \(path)")
            }
            return SourceFile(name: path, bytes: [UInt8](data))
        }
    }
}

/// A config file that could not be read.
public struct ConfigReadError: Error, Sendable {
    /// What went wrong.
    public var message: String
}
