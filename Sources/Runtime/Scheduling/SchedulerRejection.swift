/// Why ``SchedulerStateMachine`` refused a request on arrival.
enum SchedulerRejection: Sendable, Equatable {
    /// Admitted plus queued requests for the model reached its `concurrencyLimit`.
    case overLimit(retryAfterSeconds: Int)
    /// The model is not in the current plan.
    case unknownModel
}
