/// One coalesced change to the watched configuration, produced by ``ConfigWatcher``.
///
/// A change says *that* something the config is read from was written, renamed, replaced or
/// removed — not what changed. The reload pipeline reads and hashes the files itself, so a
/// change whose bytes turn out identical to the running plan costs one read and nothing else.
public struct ConfigChange: Sendable, Hashable {
    /// The config files (as given to the watcher, made absolute) and the `.yaml`/`.yml` files
    /// inside config directories that changed, in the order they were first seen. For a
    /// ConfigMap `..data` swap inside a config directory, the directory itself.
    public var paths: [String]
    /// `true` when the kernel's event queue overflowed and events were lost: reload everything
    /// instead of trusting ``paths``.
    public var overflowed: Bool

    /// Creates a change; the watcher is the usual source, tests and SIGHUP handlers may build one.
    public init(paths: [String] = [], overflowed: Bool = false) {
        self.paths = paths
        self.overflowed = overflowed
    }
}
