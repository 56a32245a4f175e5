extension ModelPlan {
    /// ``metadata`` with `${PORT}` resolved to `port`: a value that is exactly
    /// `${PORT}` becomes the number (as llama-swap gives it), one that mentions it
    /// among other text gets the digits in place. Without a port it is returned as is.
    public func metadata(port: Int?) -> JSONValue? {
        guard let metadata, let port else { return metadata }
        return Self.resolvingPort(in: metadata, port: port)
    }

    private static func resolvingPort(in value: JSONValue, port: Int) -> JSONValue {
        switch value {
        case .string("${PORT}"):
            return .integer(port)
        case .string(let text) where text.containsBytes("${PORT}"):
            return .string(text.replacingOccurrences(of: "${PORT}", with: String(port)))
        case .array(let items):
            return .array(items.map { resolvingPort(in: $0, port: port) })
        case .object(let members):
            return .object(members.mapValues { resolvingPort(in: $0, port: port) })
        default:
            return value
        }
    }
}
