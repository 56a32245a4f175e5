/// The ASCII bytes the compiler's byte-level scanners test for by name.
extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let dollar = UInt8(ascii: "$")
    static let backtick = UInt8(ascii: "`")
    static let hash = UInt8(ascii: "#")
    static let percent = UInt8(ascii: "%")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
}
