/// What a ``ConfigWatcher`` watches and which directory events concern it.
///
/// A pure value: it decides relevance from names alone. ``resolve(files:directories:)`` is the
/// only part that touches the file system (it reads symbolic links), so the matching rules can
/// be tested without inotify.
struct ConfigWatchTargets: Sendable, Hashable {
    /// One config file and the links its path resolves through.
    struct File: Sendable, Hashable {
        /// The config path, absolute and lexically normalised; what a change reports.
        var path: String
        /// The symbolic links `path` resolves through and the file it ends at.
        var chain: SymlinkChain

        var directory: String { WatchPath.directory(of: path) }
        var name: String { WatchPath.name(of: path) }
    }

    /// The name a Kubernetes ConfigMap volume swaps atomically to publish a new version.
    static let configMapDataName = "..data"

    /// The config files.
    var files: [File]
    /// The config directories (`--config-dir`), absolute and normalised.
    var configDirectories: [String]

    /// Reads the symbolic link chain of every file; `files` and `directories` must be absolute.
    static func resolve(files: [String], directories: [String]) -> ConfigWatchTargets {
        ConfigWatchTargets(
            files: files.map { File(path: $0, chain: SymlinkChain.resolve($0)) },
            configDirectories: directories
        )
    }

    /// Every directory to watch: each file's directory, the directory of every link in its
    /// chain and of the file the chain ends at, and each config directory.
    var directoriesToWatch: Set<String> {
        var result = Set(configDirectories)
        for file in files {
            result.insert(file.directory)
            for path in file.chain.paths {
                result.insert(WatchPath.directory(of: path))
            }
        }
        return result
    }

    /// The path a change should report for `event`, or `nil` if the event is not relevant.
    ///
    /// Relevant: the config file's own name; `..data` in its directory; any link of its chain,
    /// the file the chain ends at, or a directory on the way to them; and in a config
    /// directory, `..data` and non-hidden `*.yaml`/`*.yml` entries that are not directories.
    /// Everything else — editor swap and backup files, `sed`'s temporary, unrelated configs
    /// next to a watched file — is not.
    func relevantPath(for event: InotifyEvent) -> String? {
        let name = event.name
        guard !name.isEmpty else { return nil }
        let eventPath = event.path
        for file in files {
            if event.directory == file.directory && (name == file.name || name == Self.configMapDataName) {
                return file.path
            }
            for path in file.chain.paths where path == eventPath || path.hasPrefix(eventPath + "/") {
                return file.path
            }
        }
        for directory in configDirectories where directory == event.directory {
            if name == Self.configMapDataName {
                return directory
            }
            if !event.mask.contains(.isDirectory) && Self.isConfigFileName(name) {
                return eventPath
            }
        }
        return nil
    }

    /// The paths a change should report when `directory` itself disappears or comes back.
    func relevantPaths(forDirectory directory: String) -> [String] {
        var result: [String] = []
        for file in files {
            let inside = file.chain.paths.contains { WatchPath.directory(of: $0) == directory }
            if file.directory == directory || inside {
                result.append(file.path)
            }
        }
        if configDirectories.contains(directory) {
            result.append(directory)
        }
        return result
    }

    /// Whether a config directory entry named `name` is a config file.
    static func isConfigFileName(_ name: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        let lowered = name.lowercased()
        return lowered.hasSuffix(".yaml") || lowered.hasSuffix(".yml")
    }
}
