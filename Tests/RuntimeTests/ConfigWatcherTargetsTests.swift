import Testing

@testable import Runtime

/// Which directory events concern a watcher: decided from names alone, no I/O.
@Suite("ConfigWatcher relevance rules")
struct ConfigWatcherTargetsTests {
    static let plain = ConfigWatchTargets(
        files: [
            .init(path: "/etc/swap/config.yaml", chain: SymlinkChain(links: [], resolved: "/etc/swap/config.yaml"))
        ],
        configDirectories: ["/etc/swap/conf.d"]
    )

    static let configMap = ConfigWatchTargets(
        files: [
            .init(
                path: "/cfg/config.yaml",
                chain: SymlinkChain(
                    links: ["/cfg/config.yaml", "/cfg/..data"],
                    resolved: "/cfg/..2026_11_25_10_00_00.1/config.yaml"
                )
            )
        ],
        configDirectories: []
    )

    static func event(_ directory: String, _ name: String, _ mask: InotifyEventMask = .closeWrite) -> InotifyEvent {
        InotifyEvent(watchDescriptor: 1, mask: mask, cookie: 0, name: name, directory: directory)
    }

    @Test("the config's own name is relevant, whatever the event")
    func ownName() {
        for mask: InotifyEventMask in [.closeWrite, .movedTo, .movedFrom, .create, .delete, .attrib] {
            #expect(
                Self.plain.relevantPath(for: Self.event("/etc/swap", "config.yaml", mask)) == "/etc/swap/config.yaml")
        }
    }

    @Test(
        "editor and tool temporaries next to the config are not",
        arguments: [
            "config.yaml~", ".config.yaml.swp", ".config.yaml.swx", "4913", "sedAb12Cd", "config.yaml.tmp",
            "other.yaml", "config.yml",
        ])
    func temporaries(name: String) {
        #expect(Self.plain.relevantPath(for: Self.event("/etc/swap", name)) == nil)
    }

    @Test("events about the watched directory itself are not")
    func directoryItself() {
        #expect(Self.plain.relevantPath(for: Self.event("/etc/swap", "", .attrib)) == nil)
    }

    @Test("in a config directory, non-hidden .yaml/.yml entries are relevant")
    func configDirectoryEntries() {
        let directory = "/etc/swap/conf.d"
        #expect(Self.plain.relevantPath(for: Self.event(directory, "a.yaml")) == "/etc/swap/conf.d/a.yaml")
        #expect(Self.plain.relevantPath(for: Self.event(directory, "B.YML")) == "/etc/swap/conf.d/B.YML")
        #expect(Self.plain.relevantPath(for: Self.event(directory, "..data", .movedTo)) == directory)
        #expect(Self.plain.relevantPath(for: Self.event(directory, "notes.txt")) == nil)
        #expect(Self.plain.relevantPath(for: Self.event(directory, ".a.yaml.swp")) == nil)
        #expect(Self.plain.relevantPath(for: Self.event(directory, ".#a.yaml")) == nil)
        #expect(Self.plain.relevantPath(for: Self.event(directory, "x.yaml", [.create, .isDirectory])) == nil)
    }

    @Test("ConfigMap: the ..data swap and the old data directory are relevant, the new directory and ..data_tmp not")
    func configMapNames() {
        let targets = Self.configMap
        #expect(targets.relevantPath(for: Self.event("/cfg", "..data", .movedTo)) == "/cfg/config.yaml")
        #expect(targets.relevantPath(for: Self.event("/cfg", "..data_tmp", .create)) == nil)
        #expect(targets.relevantPath(for: Self.event("/cfg", "..data_tmp", .movedFrom)) == nil)
        #expect(
            targets.relevantPath(for: Self.event("/cfg", "..2026_11_25_10_05_00.2", [.create, .isDirectory])) == nil)
        #expect(
            targets.relevantPath(for: Self.event("/cfg", "..2026_11_25_10_00_00.1", [.delete, .isDirectory]))
                == "/cfg/config.yaml")
        #expect(
            targets.relevantPath(for: Self.event("/cfg/..2026_11_25_10_00_00.1", "config.yaml")) == "/cfg/config.yaml")
    }

    @Test("the watched directories follow the symlink chain")
    func directoriesToWatch() {
        #expect(Self.plain.directoriesToWatch == ["/etc/swap", "/etc/swap/conf.d"])
        #expect(Self.configMap.directoriesToWatch == ["/cfg", "/cfg/..2026_11_25_10_00_00.1"])
    }

    @Test("losing a directory concerns the files that live or resolve there")
    func lostDirectory() {
        #expect(Self.configMap.relevantPaths(forDirectory: "/cfg/..2026_11_25_10_00_00.1") == ["/cfg/config.yaml"])
        #expect(Self.configMap.relevantPaths(forDirectory: "/elsewhere").isEmpty)
        #expect(Self.plain.relevantPaths(forDirectory: "/etc/swap/conf.d") == ["/etc/swap/conf.d"])
    }

    @Test("paths are made absolute and normalised lexically")
    func paths() {
        #expect(WatchPath.absolute("config.yaml", relativeTo: "/srv/swap/") == "/srv/swap/config.yaml")
        #expect(WatchPath.absolute("../a/./b.yaml", relativeTo: "/srv/swap") == "/srv/a/b.yaml")
        #expect(WatchPath.normalize("/cfg/./") == "/cfg")
        #expect(WatchPath.directory(of: "/config.yaml") == "/")
        #expect(WatchPath.name(of: "/cfg/config.yaml") == "config.yaml")
    }
}
