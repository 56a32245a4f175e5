import ConfigLang

extension PlanDiff {
    /// The diff as `swap-lint diff --format json` prints it: the text `JSONEncoder`
    /// writes with `.sortedKeys` and `.prettyPrinted` (two-space indent, `" : "`
    /// between key and value, an empty list as `[`, blank line, `]`, `/` escaped),
    /// followed by a newline. Written by hand so the tool does not link Foundation.
    public var prettyJSON: String {
        let members: [(String, [String])] = [
            ("added", added), ("applyLive", applyLive), ("removed", removed), ("restart", restart),
            ("unchanged", unchanged),
        ]
        var output = "{\n"
        for (index, (key, ids)) in members.enumerated() {
            output += "  " + Self.quoted(key) + " : [\n"
            if ids.isEmpty { output += "\n" }
            for (position, id) in ids.enumerated() {
                output += "    " + Self.quoted(id) + (position == ids.count - 1 ? "\n" : ",\n")
            }
            output += index == members.count - 1 ? "  ]\n" : "  ],\n"
        }
        return output + "}\n"
    }

    /// `text` as a JSON string, escaped the way `JSONEncoder` escapes it.
    static func quoted(_ text: String) -> String {
        JSONValue.quoted(text, escapingSlash: true)
    }
}
