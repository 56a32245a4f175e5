#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes text to the standard streams without Foundation's `FileHandle`: standard
/// output goes through `print` (so it stays ordered with other printed text), standard
/// error straight to file descriptor 2, unbuffered as stderr is.
enum Console {
    /// Writes `text` to standard output as is.
    static func output(_ text: String) {
        print(text, terminator: "")
    }

    /// Writes `text` to standard error as is.
    static func error(_ text: String) {
        var text = text
        text.withUTF8 { writeAll($0, to: STDERR_FILENO) }
    }

    private static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// The width help text wraps at: `COLUMNS` when it is a number, else the width of
    /// the terminal standard output is on, else 80.
    static func width() -> Int {
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }) { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// Ends the process with `code` (standard output is flushed, nothing is freed).
    static func exit(_ code: Int32) -> Never {
        #if canImport(Glibc)
            Glibc.exit(code)
        #else
            Darwin.exit(code)
        #endif
    }
}
