/// The output formats `swap-lint --format` offers.
///
/// The raw value is the name the command line accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// rustc-like text for people: location, source line, caret underline, notes, help.
    case human
    /// `file:line:col: severity: message [code]`, one per line, for editors.
    case gnu
    /// The versioned JSON envelope documented in `docs/json-format.md`.
    case json
    /// SARIF 2.1.0, for code-scanning services.
    case sarif
    /// GitHub Actions workflow commands that become pull-request annotations.
    case github
}
