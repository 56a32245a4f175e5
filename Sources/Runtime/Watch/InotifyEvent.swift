/// One inotify event, copied out of libinotifytools' static buffer before the next library call.
///
/// libinotifytools returns a pointer into storage it overwrites on the following
/// `inotifytools_next_events` call, so the inotify thread copies every field into this value
/// at once and only this copy ever leaves the thread.
struct InotifyEvent: Sendable, Hashable {
    /// The watch descriptor; `-1` for `IN_Q_OVERFLOW`.
    var watchDescriptor: Int32
    /// The kernel's event bits.
    var mask: InotifyEventMask
    /// Pairs the `IN_MOVED_FROM` and `IN_MOVED_TO` halves of one rename; `0` otherwise.
    var cookie: UInt32
    /// The entry inside the watched directory; empty for events about the directory itself.
    var name: String
    /// The watched directory, absolute and without a trailing slash; empty for an overflow.
    var directory: String

    /// `directory` joined with `name`: the path of the entry the event is about.
    var path: String {
        name.isEmpty ? directory : WatchPath.join(directory, name)
    }
}
