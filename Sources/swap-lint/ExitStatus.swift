/// Ends a command early with an exit code, after the command has printed why.
struct ExitStatus: Error {
    /// The process exit code.
    var code: Int32

    /// Problems found, or a model or code that is not there.
    static let failure = ExitStatus(code: 1)
    /// A command line the parser accepted but the command cannot use.
    static let usage = ExitStatus(code: 2)
    /// Input that could not be read.
    static let unreadable = ExitStatus(code: 3)
}
