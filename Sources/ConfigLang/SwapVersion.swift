/// The version of swap's config language and tools.
public enum SwapVersion {
    /// Semantic version printed by `--version` and written into machine-readable output.
    public static let current = "0.1.0"
}
