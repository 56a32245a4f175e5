/// What ``SchedulerStateMachine`` asks its driver to do. The driver performs actions
/// in the order given and feeds outcomes back as new inputs.
enum SchedulerAction: Sendable, Equatable {
    /// Let the request through: its model is ready and the request now counts as in flight.
    case admit(RequestID)
    /// Refuse the request; it was never queued.
    case reject(RequestID, SchedulerRejection)
    /// Start the model's backend; report `backendReady` or `backendFailed`.
    case startBackend(String)
    /// Stop the model's backend (it has nothing in flight); report `backendStopped`.
    case stopBackend(String)
    /// Fail a queued request with a user-facing message.
    case fail(RequestID, String)
}
