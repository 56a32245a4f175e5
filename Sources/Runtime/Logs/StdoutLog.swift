#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What reaches swap-server's standard output: `logToStdout` picks the sources (the
/// proxy's own lines, a copy of the backends' output, both, or none) and
/// `logTimeFormat` the timestamp before each line (none when empty or absent).
public struct StdoutLogSettings: Sendable, Equatable {
    /// `proxy`, `upstream`, `both` or `none`.
    public var sources: String
    /// A `logTimeFormat` layout name; nil or "" writes no timestamp.
    public var timeFormat: String?

    /// Settings with both values given.
    public init(sources: String, timeFormat: String?) {
        self.sources = sources
        self.timeFormat = timeFormat
    }

    /// The text written for `line`, or nil when its source is not to be written.
    func rendered(_ line: LogLine) -> String? {
        let isProxy = line.source == LogHub.proxySource
        switch sources {
        case "both": break
        case "upstream" where !isProxy: break
        case "proxy" where isProxy: break
        default: return nil
        }
        guard let timeFormat, !timeFormat.isEmpty,
            let stamp = GoTimeLayout.format(TimeParts.local(line.timestamp), layout: timeFormat)
        else { return line.text }
        return stamp + " " + line.text
    }
}

/// Writes the backends' lines to standard output as ``StdoutLogSettings`` say (the
/// proxy's own lines are written by ``ServerLog`` as they are logged); the settings are
/// read per line, so a reload that changes them applies at once.
public struct StdoutLog: Sendable {
    private let lines: AsyncStream<LogLine>
    private let settings: @Sendable () -> StdoutLogSettings

    /// Writes `lines` (a ``LogHub`` subscription to ``LogHub/upstreamSource``) under
    /// `settings`.
    public init(lines: AsyncStream<LogLine>, settings: @escaping @Sendable () -> StdoutLogSettings) {
        self.lines = lines
        self.settings = settings
    }

    /// Writes lines until the subscription ends or the calling task is cancelled.
    public func run() async {
        for await line in lines {
            guard let text = settings().rendered(line) else { continue }
            Self.write(text + "\n")
        }
    }

    /// Writes `text` to standard output, whole.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
