/// Starts and stops model backends for ``ModelScheduler``.
///
/// The scheduler never calls `start` and `stop` concurrently for the same model, never
/// starts a model that is running, and only stops a model that has no request in
/// flight. Calls for different models may overlap.
public protocol BackendControl: Sendable {
    /// Starts `model` and returns once it is ready to serve requests.
    ///
    /// Throw when it cannot become ready; the error's description is shown to every
    /// request that was waiting for the model, so make it say what went wrong and what
    /// to do. After a throw the scheduler considers the model stopped.
    func start(model: String) async throws
    /// Stops `model` and returns once its process is gone.
    func stop(model: String) async
    /// Stops `model` for `reason` and returns once its process is gone.
    func stop(model: String, reason: UnloadReason) async
}

extension BackendControl {
    /// Stops `model`; a control that does not record reasons ignores `reason`.
    public func stop(model: String, reason: UnloadReason) async {
        await stop(model: model)
    }
}
