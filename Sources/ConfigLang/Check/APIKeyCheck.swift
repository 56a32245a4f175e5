/// `apiKeys` entries must be keys: an empty or blank one would let a client in with
/// an empty credential, which turns authentication off without saying so.
enum EmptyAPIKeyCheck {
    static func check(_ config: Config) -> [Diagnostic] {
        config.apiKeys.compactMap { key in
            guard key.value.allSatisfy(\.isWhitespace) else { return nil }
            return Diagnostic(
                .emptyAPIKey,
                key.value.isEmpty ? "this API key is empty" : "this API key is only whitespace",
                at: key.span,
                help: "remove the entry or give it a key; check that the `${env.…}` it uses is set")
        }
    }
}
