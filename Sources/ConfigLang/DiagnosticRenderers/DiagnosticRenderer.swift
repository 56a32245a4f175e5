/// Turns diagnostics into text in one of the `OutputFormat`s.
///
/// ```swift
/// let text = DiagnosticRenderer.render(diagnostics, format: .human,
///                                      sources: [file.name: file], color: isTTY)
/// ```
public enum DiagnosticRenderer {
    /// Renders `diagnostics` in the order given.
    ///
    /// - Parameters:
    ///   - diagnostics: what to print; sort them first (`sortedByPosition()`) for stable output.
    ///   - format: the output format.
    ///   - sources: the files the spans point into, keyed by `SourceFile.name`. A
    ///     diagnostic whose file is missing still renders, without its source line.
    ///   - color: whether `human` output may contain ANSI colour escapes; the other
    ///     formats never do.
    /// - Returns: the text, ending with a newline unless it is empty. `human`, `gnu`
    ///   and `github` return an empty string for no diagnostics; `json` and `sarif`
    ///   always return a complete document.
    public static func render(
        _ diagnostics: [Diagnostic], format: OutputFormat, sources: [String: SourceFile], color: Bool
    ) -> String {
        switch format {
        case .human: HumanRenderer(sources: sources, color: color).render(diagnostics)
        case .gnu: GNURenderer.render(diagnostics)
        case .json: JSONRenderer.render(diagnostics)
        case .sarif: SARIFRenderer.render(diagnostics)
        case .github: GitHubRenderer.render(diagnostics)
        }
    }
}
