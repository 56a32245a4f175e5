/// Why a backend could not be made ready, with a message a user can act on.
///
/// The HTTP layer turns these into error responses: ``Kind/healthCheckTimedOut`` is
/// a 504, the others a 503. `message` is written for the person who reads the
/// response, and names the log stream to look at.
public struct BackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// The command could not be run at all (no such file, not executable, bad argv).
        case spawnFailed
        /// The process exited before it became ready.
        case exitedDuringStart
        /// The process did not answer its health check with 200 in time.
        case healthCheckTimedOut
        /// The backend was told to stop (unload, reload, shutdown) while starting.
        case stoppedDuringStart
        /// No model of that ID exists in the current plan.
        case unknownModel
    }

    /// What went wrong.
    public var kind: Kind
    /// The model whose backend failed.
    public var modelID: String
    /// One or two sentences saying what happened and what to do.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, modelID: String, message: String) {
        self.kind = kind
        self.modelID = modelID
        self.message = message
    }

    /// The message.
    public var description: String { message }

    /// No model `id` in the current config.
    public static func unknownModel(_ id: String) -> BackendError {
        BackendError(
            kind: .unknownModel, modelID: id,
            message: "no model \(id) in the current config; GET /v1/models lists the models")
    }

    static func spawnFailed(modelID: String, reason: String) -> BackendError {
        BackendError(
            kind: .spawnFailed, modelID: modelID,
            message: "cannot start the backend for model \(modelID): \(reason); check the model's cmd")
    }

    static func exitedDuringStart(
        modelID: String, exit: BackendStateMachine.Exit, lastOutput: String?
    ) -> BackendError {
        var message = "backend for model \(modelID) \(exit) during start"
        if let lastOutput, !lastOutput.isEmpty {
            message += " (last output: \(lastOutput))"
        }
        message += "; see /logs/stream/\(modelID)"
        return BackendError(kind: .exitedDuringStart, modelID: modelID, message: message)
    }

    static func healthCheckTimedOut(modelID: String, checkURL: String, timeout: Duration) -> BackendError {
        BackendError(
            kind: .healthCheckTimedOut, modelID: modelID,
            message: "backend for model \(modelID) was not ready within \(timeout.seconds) s "
                + "(GET \(checkURL) never answered 200); see /logs/stream/\(modelID), "
                + "or raise healthCheckTimeout if the model just loads slowly")
    }

    static func stoppedDuringStart(modelID: String) -> BackendError {
        BackendError(
            kind: .stoppedDuringStart, modelID: modelID,
            message: "backend for model \(modelID) was stopped while it was starting "
                + "(unload, reload or shutdown); retry the request")
    }
}

extension Duration {
    /// The duration in seconds, printed without a fraction when whole.
    fileprivate var seconds: String {
        let (whole, attoseconds) = components
        let milliseconds = whole * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 {
            return String(milliseconds / 1000)
        }
        return String(Double(milliseconds) / 1000)
    }
}
