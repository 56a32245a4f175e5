/// What a diagnostic code means, as `swap-lint explain` prints it.
///
/// ```swift
/// let explanation = DiagnosticCode.duplicateKey.explanation
/// print(explanation.title)   // "Duplicate key"
/// print(explanation.wrong)   // YAML that triggers the code
/// ```
public struct CodeExplanation: Sendable, Hashable {
    /// A few words naming the problem, used as a heading and as SARIF's short description.
    public let title: String
    /// What the code means, why it matters and what to do, in a few sentences.
    public let summary: String
    /// A small llama-swap config that triggers the code.
    public let wrong: String
    /// The same config, fixed.
    public let right: String

    /// Creates an explanation.
    public init(title: String, summary: String, wrong: String, right: String) {
        self.title = title
        self.summary = summary
        self.wrong = wrong
        self.right = right
    }
}
