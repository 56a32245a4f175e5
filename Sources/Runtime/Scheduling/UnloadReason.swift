/// Why a model's backend was stopped: the `reason` label of `swap_model_unloads_total`.
public enum UnloadReason: String, Sendable, CaseIterable {
    /// Its `ttl` expired with nothing in flight.
    case ttl
    /// Another model needed its place.
    case swap
    /// A reload changed its process or removed the model.
    case reload
    /// `POST /api/models/unload` (or `GET /unload`).
    case api
    /// Its process exited on its own.
    case crash
    /// swap-server shut down.
    case shutdown
}
