/// How much macro expansion one compile may do, shared by every scope's expander.
///
/// Macros are expanded only where a model (or peer) uses them, but a macro can still
/// double its text at each level (`m1: "${m0}${m0}"`, `m2: "${m1}${m1}"`, …), so the
/// text that substitutions insert is counted, cached values included. The limits are
/// far above a real config (a thousand models with several kilobytes of command line
/// each stay under a tenth of them) and keep a hostile file to a few tens of MiB.
final class MacroBudget {
    /// The most `${name}` references one compile substitutes.
    static let maximumSubstitutions = 1_000_000
    /// The most bytes of text those substitutions insert, in all.
    static let maximumBytes = 32 << 20

    private(set) var substitutions = 0
    private(set) var bytes = 0
    /// Set once the budget has run out and that was reported, so it is reported once.
    var reported = false

    /// Counts one substitution of `count` bytes; false when that goes over a limit.
    func spend(_ count: Int) -> Bool {
        substitutions += 1
        bytes += count
        return substitutions <= Self.maximumSubstitutions && bytes <= Self.maximumBytes
    }

    /// Whether an earlier substitution already went over a limit.
    var isExhausted: Bool {
        substitutions > Self.maximumSubstitutions || bytes > Self.maximumBytes
    }
}
