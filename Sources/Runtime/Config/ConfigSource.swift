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

    /// The most bytes the config's files may hold together: a thousand models take a
    /// few hundred KiB, and the compile's memory stays bounded by the compiler's limits.
    public static let maximumBytes = 16 << 20

    /// The files, read now; throws with a message when one cannot be read or they are
    /// larger than ``maximumBytes``.
    public func read() throws -> [SourceFile] {
        var paths = [file]
        if let directory {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            paths += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map {
                directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0
            }
        }
        var total = 0
        return try paths.map { path in
            // Checked before reading, so a file that is not a config is never loaded whole.
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            total += size
            guard total <= Self.maximumBytes else {
                throw ConfigReadError(
                    message: "config file \(path) makes the config larger than \(Self.maximumBytes >> 20) MiB; "
                        + "a config is a few kilobytes, check that this is the right file")
            }
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
