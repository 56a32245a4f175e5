extension BackendState {
    /// True while a process exists for the model (starting, ready or stopping).
    public var isRunning: Bool {
        switch self {
        case .starting, .ready, .stopping: true
        case .stopped, .failed: false
        }
    }
}
