/// `apiKeys` entries must be keys: an empty or blank one would let a client in with
/// an empty credential, which turns authentication off without saying so; one with
/// a space could never be presented in an `Authorization: Bearer` header, and
/// llama-swap's loader rejects it.
enum APIKeyCheck {
    static func check(_ config: Config) -> [Diagnostic] {
        config.apiKeys.compactMap { key in
            if key.value.allSatisfy(\.isWhitespace) {
                return Diagnostic(
                    .emptyAPIKey,
                    key.value.isEmpty ? "this API key is empty" : "this API key is only whitespace",
                    at: key.span,
                    help: "remove the entry or give it a key; check that the `${env.…}` it uses is set")
            }
            guard key.value.contains(" ") else { return nil }
            return Diagnostic(
                .apiKeyWithSpace, "this API key contains a space", at: key.span,
                help: "a client sends the key after `Bearer `, so it cannot hold a space; remove the space")
        }
    }
}
