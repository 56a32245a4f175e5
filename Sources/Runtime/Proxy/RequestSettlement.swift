import Synchronization

/// The end of an admitted request: its lease goes back to the scheduler and, when it
/// got an answer, it is counted with that answer's status, once.
///
/// A settlement dropped unsettled (a response nobody wrote) settles as unanswered, so
/// that no lease outlives its request.
final class RequestSettlement: Sendable {
    private let lease: SchedulerLease
    private let scheduler: ModelScheduler
    private let counters: RequestCounters
    private let settled = Mutex(false)

    /// The settlement of the request admitted under `lease`.
    init(lease: SchedulerLease, scheduler: ModelScheduler, counters: RequestCounters) {
        self.lease = lease
        self.scheduler = scheduler
        self.counters = counters
    }

    /// Releases the lease and counts the request with `status` (nil: it got no answer,
    /// and is not counted). Only the first call does anything.
    func settle(status: Int?) {
        guard
            settled.withLock({ settled in
                defer { settled = true }; return !settled
            })
        else { return }
        if let status { counters.record(model: lease.model, status: status) }
        scheduler.release(lease)
    }

    deinit {
        settle(status: nil)
    }
}
