import CInotifyTools

/// The inotify event bits the config watcher asks for or reads back.
///
/// A thin, typed view of the `IN_*` constants from `<sys/inotify.h>`; the raw value is the
/// kernel's `mask` field.
struct InotifyEventMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt32

    init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    static let attrib = Self(rawValue: UInt32(IN_ATTRIB))
    static let closeWrite = Self(rawValue: UInt32(IN_CLOSE_WRITE))
    static let movedFrom = Self(rawValue: UInt32(IN_MOVED_FROM))
    static let movedTo = Self(rawValue: UInt32(IN_MOVED_TO))
    static let create = Self(rawValue: UInt32(IN_CREATE))
    static let delete = Self(rawValue: UInt32(IN_DELETE))
    static let moveSelf = Self(rawValue: UInt32(IN_MOVE_SELF))
    static let deleteSelf = Self(rawValue: UInt32(IN_DELETE_SELF))
    static let queueOverflow = Self(rawValue: UInt32(IN_Q_OVERFLOW))
    static let ignored = Self(rawValue: UInt32(IN_IGNORED))
    static let isDirectory = Self(rawValue: UInt32(IN_ISDIR))
    static let onlyDirectory = Self(rawValue: UInt32(IN_ONLYDIR))

    /// What every directory watch asks for.
    ///
    /// The entry events catch in-place writes, renames over a file, deletion and re-creation
    /// and `chmod`/`touch`; `moveSelf` and `deleteSelf` tell the watcher that the watched
    /// directory itself went away under its name; `onlyDirectory` makes a watch on a non-directory fail instead
    /// of silently watching a file. `IN_Q_OVERFLOW` and `IN_IGNORED` are always delivered.
    static let directoryWatch: Self = [
        .closeWrite, .movedTo, .create, .delete, .movedFrom, .attrib, .moveSelf, .deleteSelf, .onlyDirectory,
    ]
}
