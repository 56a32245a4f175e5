/// Why swap refused a request before (or instead of) a backend answering it: the
/// `cause` label of `swap_model_requests_rejected_total`.
public enum RejectionCause: String, Sendable, CaseIterable {
    /// 400: a malformed request (no model named, a bad body).
    case badRequest = "bad_request"
    /// 401: no valid API key.
    case unauthorized
    /// 404: the model named is not in the plan.
    case unknownModel = "unknown_model"
    /// 413: the body is over the limit.
    case bodyTooLarge = "body_too_large"
    /// 429: the model's `concurrencyLimit` is reached.
    case overLimit = "over_limit"

    /// The cause a status stands for, or nil for a status that is not a rejection.
    public init?(status: Int) {
        switch status {
        case 400: self = .badRequest
        case 401: self = .unauthorized
        case 404: self = .unknownModel
        case 413: self = .bodyTooLarge
        case 429: self = .overLimit
        default: return nil
        }
    }
}
