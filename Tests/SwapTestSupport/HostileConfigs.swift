/// The config shapes of issue 20 that once trapped, recursed without bound or grew
/// without bound in the compiler, generated at their full size (no fixtures). Each
/// names the diagnostic code a compile must end in. `model` is one ordinary model, so
/// that every shape is otherwise a config a server can run.
public enum HostileConfigs {
    /// One shape: a name, the file's text, and the code it must be reported with.
    public struct Shape: Sendable, CustomStringConvertible {
        /// What the shape is, for test names.
        public var name: String
        /// The whole config file.
        public var text: String
        /// The diagnostic code a compile must report (`SL410`).
        public var code: String
        /// The name.
        public var description: String { name }
    }

    /// An ordinary model under `models:`, given a `cmd` that uses `${PORT}`.
    public static func model(_ command: String = "/bin/server --port ${PORT}") -> String {
        "models:\n  m:\n    cmd: \(command)\n"
    }

    /// Every shape.
    public static func all(command: String = "/bin/server --port ${PORT}") -> [Shape] {
        let model = model(command)
        var macroChain = "macros:\n"
        for index in 0..<2000 { macroChain += "  m\(index): \"${m\(index + 1)}\"\n" }
        macroChain += "  m2000: v\n"
        var macroCycle = "macros:\n"
        for index in 0..<1000 { macroCycle += "  m\(index): \"${m\((index + 1) % 1000)}\"\n" }
        var doubling = "macros:\n  m0: xxxxxxxxxxxxxxxx\n"
        for index in 0..<40 { doubling += "  m\(index + 1): \"${m\(index)}${m\(index)}\"\n" }
        var setChain = "  sets:\n"
        for index in 0..<2000 { setChain += "    s\(index): \"+s\(index + 1)\"\n" }
        setChain += "    s2000: m\n"
        var laughs =
            "a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let previous = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(level - 1)))
            let name = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(level)))
            laughs +=
                "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
        }
        return [
            Shape(name: "startPort at Int.max", text: "startPort: 9223372036854775807\n" + model, code: "SL211"),
            Shape(
                name: "3000 nested parentheses in a matrix set",
                text: model + "matrix:\n  vars: {m: m}\n  sets:\n    s: \"" + String(repeating: "(", count: 3000) + "m"
                    + String(repeating: ")", count: 3000) + "\"\n",
                code: "SL506"),
            Shape(
                name: "a chain of 2000 +set references", text: model + "matrix:\n  vars: {m: m}\n" + setChain,
                code: "SL506"),
            Shape(
                name: "a chain of 2000 macros", text: macroChain + model + "    env: [\"X=${m0}\"]\n", code: "SL410"),
            Shape(
                name: "a cycle of 1000 macros", text: macroCycle + model + "    env: [\"X=${m0}\"]\n", code: "SL402"),
            Shape(
                name: "macros doubling 40 times, used", text: doubling + model + "    env: [\"X=${m40}\"]\n",
                code: "SL411"),
            Shape(
                name: "30000 nested [", text: model + "    metadata: " + String(repeating: "[", count: 30_000) + "\n",
                code: "SL108"),
            Shape(name: "billion laughs", text: laughs + model, code: "SL109"),
            Shape(
                name: "10000 unknown macro and unset variable references in one value",
                text: "macros: {a: 1}\n" + model + "    description: \""
                    + String(repeating: "${zz}${env.SWAP_HOSTILE_UNSET}", count: 10_000) + "\"\n",
                code: "SL401"),
            Shape(name: "empty API keys", text: "apiKeys: [\"\", \"  \"]\n" + model, code: "SL212"),
        ]
    }

    /// Macros that double 40 times that no model uses: a valid config.
    public static func unusedDoubling(command: String = "/bin/server --port ${PORT}") -> String {
        var doubling = "macros:\n  m0: xxxxxxxxxxxxxxxx\n"
        for index in 0..<40 { doubling += "  m\(index + 1): \"${m\(index)}${m\(index)}\"\n" }
        return doubling + model(command)
    }
}
