import Foundation
import Synchronization
import Testing

@testable import Runtime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Real files, real inotify: each edit style must yield exactly one change.
///
/// Edits are performed with the same system calls the tools make (no shelling out), all
/// within one debounce period; the tests wait a bounded time and never assert on timing.
@Suite("ConfigWatcher with real files")
struct ConfigWatcherTests {
    static let debounce: Duration = .milliseconds(200)

    @Test("in-place write (truncate and write, `echo > file`)")
    func inPlaceWrite() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.write("models: {}\n", to: "config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("chmod or touch (IN_ATTRIB)")
    func attributeChange() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.check(chmod(fixture.path("config.yaml"), 0o600))
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("editor: write a temporary file, rename it over the config")
    func writeTemporaryThenRename() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.write("models: {a: 1}\n", to: "config.yaml.tmp")
                try fixture.rename("config.yaml.tmp", to: "config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("sed -i: write ./sedXXXXXX, rename it over the config")
    func sedInPlace() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.write("models: {b: 2}\n", to: "sedQx81Zp")
                try fixture.check(chmod(fixture.path("sedQx81Zp"), 0o644))
                try fixture.rename("sedQx81Zp", to: "config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("vim, backupcopy=no: rename to file~, write the file, unlink file~")
    func vimBackupRename() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.rename("config.yaml", to: "config.yaml~")
                try fixture.write("models: {c: 3}\n", to: "config.yaml")
                try fixture.remove("config.yaml~")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("vim with a swap file: .file.swp first, then the backup rename")
    func vimWithSwapFile() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.write("b0VIM 9.1", to: ".config.yaml.swp")
                try fixture.write("4913", to: "4913")
                try fixture.remove("4913")
                try fixture.rename("config.yaml", to: "config.yaml~")
                try fixture.write("models: {d: 4}\n", to: "config.yaml")
                try fixture.remove("config.yaml~")
                try fixture.remove(".config.yaml.swp")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("delete, then re-create")
    func deleteThenRecreate() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                try fixture.remove("config.yaml")
                try fixture.write("models: {e: 5}\n", to: "config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("a burst of ten quick writes is one change")
    func burstOfWrites() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes {
                for index in 0..<10 {
                    try fixture.write("models: {n: \(index)}\n", to: "config.yaml")
                }
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }

    @Test("unrelated files in the same directory produce nothing")
    func unrelatedFilesAreIgnored() async throws {
        try await WatchFixture.run { fixture in
            let changes = try await fixture.changes(expectingNone: true) {
                try fixture.write("models: {}\n", to: "other.yaml")
                try fixture.write("notes", to: "notes.txt")
                try fixture.write("b0VIM", to: ".config.yaml.swp")
                try fixture.remove(".config.yaml.swp")
                try fixture.write("x", to: "config.yaml.bak")
                try fixture.rename("config.yaml.bak", to: "config.yaml.old")
                try fixture.makeDirectory("config.yaml.d")
            }
            #expect(changes.isEmpty)
        }
    }

    @Test("Kubernetes ConfigMap: ..data symlink swap to a new timestamped directory")
    func configMapDataSwap() async throws {
        try await WatchFixture.run(configMap: true) { fixture in
            let changes = try await fixture.changes {
                // What kubelet's atomic writer does.
                try fixture.makeDirectory("..2026_11_25_10_05_00.987654321")
                try fixture.write("models: {f: 6}\n", to: "..2026_11_25_10_05_00.987654321/config.yaml")
                try fixture.symlink("..2026_11_25_10_05_00.987654321", at: "..data_tmp")
                try fixture.rename("..data_tmp", to: "..data")
                try fixture.remove("..2026_11_25_10_00_00.123456789/config.yaml")
                try fixture.check(rmdir(fixture.path("..2026_11_25_10_00_00.123456789")))
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
            #expect(try String(contentsOfFile: fixture.config, encoding: .utf8) == "models: {f: 6}\n")
        }
    }

    @Test("Kubernetes ConfigMap: a second swap is seen too (the watch follows the chain)")
    func configMapSecondSwap() async throws {
        try await WatchFixture.run(configMap: true) { fixture in
            try await fixture.withWatcher { next in
                for (index, stamp) in ["..2026_11_25_11_00_00.1", "..2026_11_25_12_00_00.2"].enumerated() {
                    let old = try fixture.readLink("..data")
                    try fixture.makeDirectory(stamp)
                    try fixture.write("models: {g: \(index)}\n", to: "\(stamp)/config.yaml")
                    try fixture.symlink(stamp, at: "..data_tmp")
                    try fixture.rename("..data_tmp", to: "..data")
                    try fixture.remove("\(old)/config.yaml")
                    try fixture.check(rmdir(fixture.path(old)))
                    let changes = try await next(false)
                    #expect(changes == [ConfigChange(paths: [fixture.config])])
                }
            }
        }
    }

    @Test("a config that is a symlink into another directory: editing the target counts")
    func symlinkedConfigTargetEdited() async throws {
        try await WatchFixture.run { fixture in
            try fixture.makeDirectory("real")
            try fixture.write("models: {}\n", to: "real/config.yaml")
            try fixture.makeDirectory("etc")
            try fixture.symlink("../real/config.yaml", at: "etc/config.yaml")
            let changes = try await fixture.changes(files: [fixture.path("etc/config.yaml")]) {
                try fixture.write("models: {h: 8}\n", to: "real/config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.path("etc/config.yaml")])])
        }
    }

    @Test("config directory: a .yaml entry changes, a .txt entry does not")
    func configDirectory() async throws {
        try await WatchFixture.run { fixture in
            try fixture.makeDirectory("conf.d")
            let directory = fixture.path("conf.d")
            let ignored = try await fixture.changes(files: [], directories: [directory], expectingNone: true) {
                try fixture.write("hello", to: "conf.d/README.txt")
                try fixture.write("b0VIM", to: "conf.d/.a.yaml.swp")
            }
            #expect(ignored.isEmpty)
            let changes = try await fixture.changes(files: [], directories: [directory]) {
                try fixture.write("models: {}\n", to: "conf.d/b.yml.tmp")
                try fixture.rename("conf.d/b.yml.tmp", to: "conf.d/b.yml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.path("conf.d/b.yml")])])
        }
    }

    @Test("a missing config directory is reported, then watched once it appears")
    func directoryAppearsLater() async throws {
        try await WatchFixture.run { fixture in
            let missing = fixture.path("later")
            let config = WatchPath.join(missing, "config.yaml")
            let changes = try await fixture.withWatcher(files: [config], unwatched: [missing]) { next in
                try fixture.makeDirectory("later")
                try fixture.write("models: {}\n", to: "later/config.yaml")
                return try await next(false)
            }
            #expect(changes.first == ConfigChange(paths: [config]))
        }
    }

    @Test("cancelling the consumer ends the sequence; another watcher of the directory keeps working")
    func cancellationEndsTheSequence() async throws {
        try await WatchFixture.run { fixture in
            let config = fixture.config
            let cancelled = Task {
                var iterator = ConfigWatcher(files: [config], debounce: Self.debounce).makeAsyncIterator()
                _ = await iterator.waitUntilWatching()
                return await iterator.next()
            }
            try await Task.sleep(for: .milliseconds(50))
            cancelled.cancel()
            #expect(await cancelled.value == nil)

            let changes = try await fixture.changes {
                try fixture.write("models: {i: 9}\n", to: "config.yaml")
            }
            #expect(changes == [ConfigChange(paths: [fixture.config])])
        }
    }
}

/// A temporary directory holding `config.yaml`, plus the watch-edit-collect routine.
private struct WatchFixture: Sendable {
    let root: String

    var config: String { path("config.yaml") }

    func path(_ relative: String) -> String { WatchPath.join(root, relative) }

    /// Creates the directory (with a plain or ConfigMap-style `config.yaml`), runs `body`,
    /// and removes the directory again.
    static func run(configMap: Bool = false, _ body: (WatchFixture) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.path
        let root = WatchPath.join(WatchPath.normalize(base), "swap-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fixture = WatchFixture(root: root)
        if configMap {
            let stamp = "..2026_11_25_10_00_00.123456789"
            try fixture.makeDirectory(stamp)
            try fixture.write("models: {}\n", to: "\(stamp)/config.yaml")
            try fixture.symlink(stamp, at: "..data")
            try fixture.symlink("..data/config.yaml", at: "config.yaml")
        } else {
            try fixture.write("models: {}\n", to: "config.yaml")
        }
        try await body(fixture)
    }

    /// Starts a watcher, performs `edit` once the watches are in place, and collects changes
    /// until 400 ms past the debounce after the first one (or, when none is expected, for
    /// that long after the edit). Gives up after a few seconds.
    func changes(
        files: [String]? = nil,
        directories: [String] = [],
        expectingNone: Bool = false,
        during edit: @Sendable () throws -> Void
    ) async throws -> [ConfigChange] {
        try await withWatcher(files: files, directories: directories) { next in
            try edit()
            return try await next(expectingNone)
        }
    }

    /// Runs `body` with a started watcher; `next(expectingNone)` collects the changes of one
    /// edit. The watcher must report `unwatched` as the directories it could not watch.
    func withWatcher<Result>(
        files: [String]? = nil,
        directories: [String] = [],
        unwatched: [String] = [],
        _ body: (_ next: (_ expectingNone: Bool) async throws -> [ConfigChange]) async throws -> Result
    ) async throws -> Result {
        let watcher = ConfigWatcher(
            files: files ?? [config], directories: directories, debounce: ConfigWatcherTests.debounce)
        let collected = Mutex<[ConfigChange]>([])
        let (ready, readyContinuation) = AsyncStream.makeStream(of: [String].self)
        let consumer = Task {
            var iterator = watcher.makeAsyncIterator()
            readyContinuation.yield(await iterator.waitUntilWatching())
            while let change = await iterator.next() {
                collected.withLock { $0.append(change) }
            }
        }
        defer { consumer.cancel() }
        var readiness = ready.makeAsyncIterator()
        #expect(await readiness.next() == unwatched)
        let settle = ConfigWatcherTests.debounce + .milliseconds(400)
        return try await body { expectingNone in
            let deadline = ContinuousClock.now + .seconds(3)
            while !expectingNone && ContinuousClock.now < deadline && collected.withLock({ $0.isEmpty }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: settle)
            return collected.withLock { changes in
                defer { changes.removeAll() }
                return changes
            }
        }
    }

    func write(_ contents: String, to relative: String) throws {
        let descriptor = open(path(relative), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try check(descriptor)
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        try check(Int32(bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }))
    }

    func rename(_ from: String, to: String) throws {
        try check(Glibc.rename(path(from), path(to)))
    }

    func remove(_ relative: String) throws {
        try check(unlink(path(relative)))
    }

    func symlink(_ target: String, at relative: String) throws {
        try check(Glibc.symlink(target, path(relative)))
    }

    func makeDirectory(_ relative: String) throws {
        try check(mkdir(path(relative), 0o755))
    }

    func readLink(_ relative: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: path(relative))
    }

    func check(_ result: Int32) throws {
        if result < 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }
}
