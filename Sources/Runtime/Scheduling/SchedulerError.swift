/// Why ``ModelScheduler/acquire(model:)`` did not admit a request.
///
/// Cancellation of the waiting task is reported as `CancellationError`, not as one
/// of these.
public enum SchedulerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The model already has `concurrencyLimit` requests admitted or queued; retry
    /// after the given number of seconds (HTTP 429 with `Retry-After`).
    case overLimit(retryAfter: Int)
    /// The model's backend could not be started; the message says why.
    case backendFailed(String)
    /// No local model has this ID or alias in the current plan.
    case unknownModel(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .overLimit(let seconds):
            "Too many requests for this model; retry after \(seconds) second\(seconds == 1 ? "" : "s")."
        case .backendFailed(let message):
            message
        case .unknownModel(let name):
            "No local model is named '\(name)'; check the model ID or add it to the config."
        }
    }
}
