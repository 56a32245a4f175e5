import ConfigLang

/// One message of systemd's readiness protocol (`sd_notify`): newline-separated
/// `NAME=value` assignments sent as a single datagram to `$NOTIFY_SOCKET`.
///
/// swap-server sends ``ready(status:)`` once it listens, ``reloading(monotonicMicroseconds:)``
/// when a reload begins and ``ready(status:)`` again when it ends (applied or rejected),
/// and ``stopping`` when a graceful shutdown begins. With `Type=notify` in the unit,
/// `systemctl start` returns only after the first `READY=1`, and `systemctl reload`
/// waits for the `READY=1` that ends the reload.
public struct SystemdNotification: Sendable, Equatable {
    /// The assignments, in the order they are sent.
    public var assignments: [Assignment]

    /// One `NAME=value` line.
    public struct Assignment: Sendable, Equatable {
        /// The variable, such as `READY` or `STATUS`.
        public var name: String
        /// Its value; newlines are replaced by spaces, as the protocol is line-based.
        public var value: String

        /// Creates an assignment.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates a message from its assignments.
    public init(_ assignments: [Assignment]) {
        self.assignments = assignments
    }

    /// `READY=1` with a `STATUS=` line: the server listens (or a reload finished).
    public static func ready(status: String) -> SystemdNotification {
        SystemdNotification([.init("READY", "1"), .init("STATUS", status)])
    }

    /// `RELOADING=1` with `MONOTONIC_USEC=`: a reload began at that `CLOCK_MONOTONIC`
    /// time, in microseconds (systemd matches it against the time it asked for the reload).
    public static func reloading(monotonicMicroseconds: UInt64) -> SystemdNotification {
        SystemdNotification([
            .init("RELOADING", "1"), .init("MONOTONIC_USEC", String(monotonicMicroseconds)),
            .init("STATUS", "reloading the config"),
        ])
    }

    /// `STOPPING=1`: a graceful shutdown began.
    public static let stopping = SystemdNotification([
        .init("STOPPING", "1"), .init("STATUS", "draining requests and stopping backends"),
    ])

    /// The datagram's text: one `NAME=value` line per assignment.
    public var text: String {
        assignments.map { assignment in
            let value = assignment.value.map { $0.isNewline ? " " : String($0) }.joined()
            return "\(assignment.name)=\(value)\n"
        }.joined()
    }

    /// The `STATUS=` text for a server serving `plan`: its source hash (shortened) and
    /// its model and peer counts, followed by the failure of the last reload if it failed.
    public static func status(serving plan: Plan, lastReloadFailed: Bool) -> String {
        let models = plan.models.count
        let peers = plan.peers.count
        var text = "serving plan \(plan.sourceHash.prefix(12)): \(models) model\(models == 1 ? "" : "s")"
        if peers > 0 { text += ", \(peers) peer\(peers == 1 ? "" : "s")" }
        if lastReloadFailed { text += "; the last reload failed, see /api/config/status" }
        return text
    }
}
