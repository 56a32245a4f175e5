/// When a connection has stalled too long, as a state machine over what it reads and
/// writes (HTTP parts, and whether the socket takes more); ``ConnectionTimeoutHandler``
/// feeds it and arms one timer at the deadline it returns.
///
/// - Waiting for a request head: the first within ``ConnectionLimits/headerTimeout``
///   of the connection's start, each next within ``ConnectionLimits/idleTimeout`` of the
///   previous response's end. Bytes of an unfinished head do not move the deadline.
/// - Reading a body: each part within ``ConnectionLimits/bodyTimeout`` of the last.
/// - Answering: no deadline while the client takes what is written; once the socket
///   stops taking writes, ``ConnectionLimits/writeTimeout``.
struct ConnectionDeadline: Sendable {
    /// What the connection is doing.
    enum Phase: Equatable, Sendable {
        /// No request in progress; `first` for a new connection.
        case awaitingHead(first: Bool)
        /// A request head arrived; its body is being read.
        case readingBody
        /// Every request read; the answer is being written.
        case answering
    }

    /// The limits.
    let limits: ConnectionLimits
    /// What the connection is doing.
    private(set) var phase: Phase = .awaitingHead(first: true)
    /// Requests whose head arrived and whose response has not ended.
    private(set) var requestsInProgress = 0
    /// Whether the socket takes more writes.
    private(set) var writable = true
    /// When the connection times out, if it can; measured on ``ContinuousClock``.
    private(set) var deadline: ContinuousClock.Instant?

    /// A new connection at `now`.
    init(limits: ConnectionLimits, now: ContinuousClock.Instant) {
        self.limits = limits
        deadline = now + limits.headerTimeout
    }

    /// A request part arrived at `now`.
    mutating func read(_ part: Part, now: ContinuousClock.Instant) {
        switch part {
        case .head:
            requestsInProgress += 1
            phase = .readingBody
            deadline = now + limits.bodyTimeout
        case .body:
            if phase == .readingBody { deadline = now + limits.bodyTimeout }
        case .end:
            phase = .answering
            deadline = writable ? nil : now + limits.writeTimeout
        }
    }

    /// A response part was written at `now`.
    mutating func wrote(_ part: Part, now: ContinuousClock.Instant) {
        guard part == .end else { return }
        requestsInProgress = max(0, requestsInProgress - 1)
        if requestsInProgress == 0, phase == .answering {
            phase = .awaitingHead(first: false)
            deadline = now + limits.idleTimeout
        }
    }

    /// The socket started or stopped taking writes at `now`.
    mutating func writabilityChanged(_ writable: Bool, now: ContinuousClock.Instant) {
        guard writable != self.writable else { return }
        self.writable = writable
        if phase == .answering { deadline = writable ? nil : now + limits.writeTimeout }
    }

    /// Whether the connection is over its deadline at `now`.
    func expired(now: ContinuousClock.Instant) -> Bool {
        deadline.map { now >= $0 } ?? false
    }

    /// The kind of part, for both directions.
    enum Part: Equatable, Sendable {
        case head, body, end
    }
}
