/// Where the running swap-server came from, for `/api/version` and `swap_build_info`:
/// swap-server's build stamps it (the StampBuild plugin); other builds say "unknown".
public struct BuildInfo: Sendable, Equatable {
    /// The git commit the binary was built from.
    public var commit: String
    /// When the build stamp was written (RFC 3339): the first build after the checkout's
    /// HEAD last moved.
    public var date: String

    /// A build's commit and date.
    public init(commit: String, date: String) {
        self.commit = commit
        self.date = date
    }

    /// A build that recorded neither.
    public static let unknown = BuildInfo(commit: "unknown", date: "unknown")
}
