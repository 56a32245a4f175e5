import ConfigLang

extension PlanDiff {
    /// The diff as `swap-lint diff --format json` prints it: its `Codable` encoding as
    /// pretty JSON with sorted keys (the same writer as every other JSON swap-lint
    /// prints), followed by a newline.
    public var prettyJSON: String {
        var writer = JSONWriter(pretty: true)
        do {
            writer.value(try JSONValueEncoder.encode(self))
        } catch {
            preconditionFailure("a plan diff holds only lists of strings and cannot fail to encode: \(error)")
        }
        writer.endLine()
        return writer.text
    }
}
