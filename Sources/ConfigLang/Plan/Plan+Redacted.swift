/// The plan with its secrets hidden, for every place that shows a running server's
/// config to someone who may not own it (the management API, logs). A pure function:
/// `swap-lint plan --redact` and swap-server share it.
///
/// Hidden: the values of model `env` entries (names stay), the value after a
/// command-line flag whose name says key, token, secret or password (`--api-key X`,
/// `--api-key=X`), peers' `apiKey`, the server's `apiKeys`, and each of `secrets`
/// wherever it appears in an argument, URL or metadata string (the values the config
/// took from `${env.…}`).
extension Plan {
    /// What stands in for a hidden value.
    public static let redactedMarker = "<redacted>"

    /// The plan with its secrets replaced by ``redactedMarker``.
    public func redacted(secrets: Set<String> = []) -> Plan {
        let hiding = SecretHiding(secrets: secrets)
        var copy = self
        copy.settings.apiKeys = settings.apiKeys.map { _ in Self.redactedMarker }
        for (id, model) in models {
            var model = model
            model.argvTemplate = hiding.arguments(model.argvTemplate)
            model.stopTemplate = model.stopTemplate.map(hiding.arguments)
            model.env = model.env.map(SecretHiding.environmentEntry)
            model.proxyTemplate = hiding.text(model.proxyTemplate)
            model.checkEndpoint = model.checkEndpoint.map(hiding.text)
            model.metadata = model.metadata.map(hiding.json)
            copy.models[id] = model
        }
        for (id, peer) in peers {
            var peer = peer
            peer.apiKey = peer.apiKey.map { _ in Self.redactedMarker }
            peer.proxy = hiding.text(peer.proxy)
            copy.peers[id] = peer
        }
        return copy
    }
}

/// The rules ``Plan/redacted(secrets:)`` applies to one value.
public struct SecretHiding: Sendable {
    /// Exact values to hide wherever they appear.
    public let secrets: [String]

    /// Hides `secrets` wherever they appear, longest first so a secret that holds
    /// another is hidden whole. Values shorter than 4 characters (a `1`, a `no`) are
    /// left alone: hiding them as substrings would blank out unrelated text, and no key
    /// or token is that short.
    public init(secrets: Set<String>) {
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// Whether a flag's name says its value is a secret: its last word ends in key,
    /// token, secret, password or passwd (`--api-key`, `-token`, `--hf_token`, `--apikey`,
    /// `--db-password`), but not `--tokens` or `--token-delay-ms`, whose values are numbers.
    public static func isSecretFlag(_ flag: String) -> Bool {
        guard flag.hasPrefix("-") else { return false }
        let words = flag.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard let last = words.last else { return false }
        return ["key", "token", "secret", "password", "passwd"].contains { last.hasSuffix($0) }
    }

    /// An argv with the value of every secret flag hidden.
    public func arguments(_ argv: [String]) -> [String] {
        var result: [String] = []
        var hideNext = false
        for argument in argv {
            if hideNext {
                result.append(Plan.redactedMarker)
                hideNext = false
                continue
            }
            if let equals = argument.firstIndex(of: "="), Self.isSecretFlag(String(argument[..<equals])) {
                result.append(String(argument[...equals]) + Plan.redactedMarker)
                continue
            }
            hideNext = Self.isSecretFlag(argument)
            result.append(text(argument))
        }
        return result
    }

    /// `NAME=value` as `NAME=<redacted>`.
    public static func environmentEntry(_ entry: String) -> String {
        guard let equals = entry.firstIndex(of: "=") else { return entry }
        return String(entry[...equals]) + Plan.redactedMarker
    }

    /// `text` with every secret hidden.
    public func text(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacing(secret, with: Plan.redactedMarker)
        }
        return text
    }

    /// Every string in `value` with every secret hidden.
    public func json(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let string): .string(text(string))
        case .array(let items): .array(items.map(json))
        case .object(let fields): .object(fields.mapValues(json))
        default: value
        }
    }

    /// The values of the environment variables that `texts` (config sources) refer to
    /// as `${env.NAME}`.
    public static func environmentValues(referencedIn texts: [String], environment: [String: String]) -> Set<String> {
        var values: Set<String> = []
        for text in texts {
            var rest = text[...]
            while let start = rest.range(of: "${env.") {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "}") else { break }
                if let value = environment[String(rest[..<end])] { values.insert(value) }
                rest = rest[end...]
            }
        }
        return values
    }
}
