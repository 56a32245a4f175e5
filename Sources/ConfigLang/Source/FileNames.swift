import Synchronization

/// The process-wide table of file names that spans refer to by number.
///
/// A config is a handful of files but its syntax tree holds tens of thousands of
/// spans; storing a small number instead of a `String` keeps spans free of
/// reference counting. Names are only ever added, and the same name always gets the
/// same number, so two spans are in the same file exactly when their numbers match.
enum FileNames {
    /// A file's number in the table.
    typealias ID = UInt32

    private struct Table {
        var names: [String] = []
        var ids: [String: ID] = [:]
    }

    private static let table = Mutex(Table())

    /// The number for `name`, adding it on first use.
    static func id(for name: String) -> ID {
        table.withLock { table in
            if let id = table.ids[name] { return id }
            let id = ID(table.names.count)
            table.names.append(name)
            table.ids[name] = id
            return id
        }
    }

    /// The name with number `id`.
    static func name(of id: ID) -> String {
        table.withLock { $0.names[Int(id)] }
    }
}
