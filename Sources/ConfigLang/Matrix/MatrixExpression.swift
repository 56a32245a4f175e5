/// One set expression of the matrix router: which models may run together.
///
/// Grammar (blanks between tokens are ignored; `&` binds tighter than `|`):
///
/// ```
/// or      := and ("|" and)*
/// and     := primary ("&" primary)*
/// primary := NAME | "+" NAME | "(" or ")"
/// NAME    := (letter | digit | "-" | "." | "_" | ":" | "/")+
/// ```
///
/// A `NAME` is a model ID or a var; `+NAME` inlines the expression of another set.
/// Chains of one operator are n-ary and parenthesised chains of the same operator
/// are flattened, so `a & (b & c)` parses to `.and([a, b, c])`.
///
/// ```swift
/// let expression = try MatrixExpression.parse("(a | b) & (c | d)")
/// try expression.expand { _ in nil }  // [["a","c"], ["a","d"], ["b","c"], ["b","d"]]
/// ```
public indirect enum MatrixExpression: Sendable, Hashable {
    /// A model ID or var, with the UTF-8 byte offset of its first character.
    case name(String, offset: Int)
    /// `+set`: the named set's expression, with the UTF-8 byte offset of the `+`.
    case reference(String, offset: Int)
    /// All of these together.
    case and([MatrixExpression])
    /// Any one of these.
    case or([MatrixExpression])

    /// The most concrete sets one expansion may produce before it is rejected.
    public static let maximumSetCount = 10_000

    /// The most names all the sets of one expansion may hold together.
    public static let maximumNameCount = 1_000_000

    /// How deep parentheses may nest, and how long a chain of `+ref`s one expansion
    /// may follow. Real expressions nest two or three levels; the bound keeps the
    /// parser's and the expander's recursion (and the tree's teardown) shallow.
    public static let maximumDepth = 64

    /// Parses one set expression.
    public static func parse(_ text: String) throws(MatrixExpressionError) -> MatrixExpression {
        var parser = MatrixExpressionParser(bytes: Array(text.utf8))
        return try parser.parseExpression()
    }

    /// The concrete sets the expression denotes, in definition order.
    ///
    /// Each set is sorted by UTF-8 bytes and holds each name once; a set equal to an
    /// earlier one is dropped. `|` concatenates the alternatives' sets; `&` takes
    /// the product with the left operand varying slowest, so `(a | b) & (c | d)`
    /// gives `[a,c], [a,d], [b,c], [b,d]`. Names are returned as written: vars are
    /// not substituted. `resolve` maps a set name to its parsed expression and is
    /// followed through every `+ref`; a name it returns nil for is an error, and so
    /// is a reference that leads back to a set being expanded.
    ///
    /// Prefer ``expand(setNamed:resolve:)`` for a named set: it also catches a set
    /// that refers to itself and starts the cycle chain at that set.
    public func expand(
        resolve: (String) -> MatrixExpression?
    ) throws(MatrixExpressionError) -> [[String]] {
        let sets = try MatrixExpander.expand(self, stack: [], origin: nil, resolve: resolve)
        return MatrixExpander.finish(sets)
    }

    /// The concrete sets of the set called `name`, as ``expand(resolve:)`` gives
    /// them, with `name` itself on the cycle-detection stack.
    ///
    /// Throws `unknownReference` at offset 0 when `resolve` does not know `name`.
    public static func expand(
        setNamed name: String, resolve: (String) -> MatrixExpression?
    ) throws(MatrixExpressionError) -> [[String]] {
        guard let expression = resolve(name) else {
            throw MatrixExpressionError(
                kind: .unknownReference(name), offset: 0, message: "there is no set named `\(name)`")
        }
        let sets = try MatrixExpander.expand(expression, stack: [name], origin: nil, resolve: resolve)
        return MatrixExpander.finish(sets)
    }

    /// Every model ID or var the expression names directly (not through `+ref`),
    /// in source order, with offsets.
    public var names: [(name: String, offset: Int)] {
        switch self {
        case .name(let name, let offset): [(name, offset)]
        case .reference: []
        case .and(let operands), .or(let operands): operands.flatMap(\.names)
        }
    }

    /// Every `+ref` the expression holds directly, in source order, with offsets.
    public var references: [(name: String, offset: Int)] {
        switch self {
        case .name: []
        case .reference(let name, let offset): [(name, offset)]
        case .and(let operands), .or(let operands): operands.flatMap(\.references)
        }
    }
}

/// Expands expressions into concrete sets for ``MatrixExpression``.
private enum MatrixExpander {
    /// Sets as unsorted name lists, possibly with repeats; `finish` normalises them.
    static func expand(
        _ expression: MatrixExpression, stack: [String], origin: Int?,
        resolve: (String) -> MatrixExpression?
    ) throws(MatrixExpressionError) -> [[String]] {
        switch expression {
        case .name(let name, _):
            return [[name]]
        case .reference(let name, let offset):
            let site = origin ?? offset
            if let start = stack.firstIndex(of: name) {
                let chain = Array(stack[start...]) + [name]
                throw MatrixExpressionError(
                    kind: .cycle(chain), offset: site,
                    message: "set references form a cycle: \(chain.map { "+\($0)" }.joined(separator: " → "))")
            }
            if stack.count >= MatrixExpression.maximumDepth {
                throw MatrixExpressionError(
                    kind: .nestingTooDeep, offset: site,
                    message:
                        "`+\(name)` is reached through more than \(MatrixExpression.maximumDepth) `+set` references in a row"
                )
            }
            guard let target = resolve(name) else {
                let via = stack.isEmpty ? "" : " (referenced from set `\(stack.last!)`)"
                throw MatrixExpressionError(
                    kind: .unknownReference(name), offset: site,
                    message: "`+\(name)` names no set\(via); define it under `sets` or fix the name")
            }
            return try expand(target, stack: stack + [name], origin: site, resolve: resolve)
        case .or(let operands):
            var result: [[String]] = []
            for operand in operands {
                result += try expand(operand, stack: stack, origin: origin, resolve: resolve)
                try check(result.count, origin: origin, expression: expression)
            }
            return result
        case .and(let operands):
            var result: [[String]] = [[]]
            for operand in operands {
                let right = try expand(operand, stack: stack, origin: origin, resolve: resolve)
                try check(result.count * right.count, origin: origin, expression: expression)
                // Every name is copied into each set it joins, so the names in all are
                // bounded too (`a & a & a …` makes one set of ever more names).
                let width = (result.map(\.count).max() ?? 0) + (right.map(\.count).max() ?? 0)
                if result.count * right.count * width > MatrixExpression.maximumNameCount {
                    throw MatrixExpressionError(
                        kind: .tooManySets, offset: origin ?? expression.names.first?.offset ?? 0,
                        message:
                            "the expression expands to more than \(MatrixExpression.maximumNameCount) names in all; split it up"
                    )
                }
                var product: [[String]] = []
                product.reserveCapacity(result.count * right.count)
                for left in result {
                    for names in right {
                        product.append(left + names)
                    }
                }
                result = product
            }
            return result
        }
    }

    private static func check(
        _ count: Int, origin: Int?, expression: MatrixExpression
    ) throws(MatrixExpressionError) {
        guard count > MatrixExpression.maximumSetCount else { return }
        let offset = origin ?? expression.names.first?.offset ?? expression.references.first?.offset ?? 0
        throw MatrixExpressionError(
            kind: .tooManySets, offset: offset,
            message: "the expression expands to more than \(MatrixExpression.maximumSetCount) sets; split it up")
    }

    /// Sorts and de-duplicates each set, then drops sets equal to an earlier one.
    static func finish(_ sets: [[String]]) -> [[String]] {
        var seen: Set<[String]> = []
        var result: [[String]] = []
        for names in sets {
            let normalised = Array(Set(names)).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            if seen.insert(normalised).inserted {
                result.append(normalised)
            }
        }
        return result
    }
}

/// A recursive-descent parser over UTF-8 bytes for ``MatrixExpression/parse(_:)``.
private struct MatrixExpressionParser {
    let bytes: [UInt8]
    var index = 0
    /// Open parentheses around the current position.
    var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    static let operandHint = "a model ID, a var, `+set` or `(`"

    mutating func parseExpression() throws(MatrixExpressionError) -> MatrixExpression {
        let expression = try parseOr(after: nil)
        skipBlanks()
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: ")") {
                throw MatrixExpressionError(
                    kind: .unexpectedCharacter, offset: index,
                    message: "this `)` has no matching `(`; remove it or add a `(` before it")
            }
            throw unexpected(expected: "`&`, `|` or the end of the expression")
        }
        return expression
    }

    private mutating func parseOr(after context: String?) throws(MatrixExpressionError) -> MatrixExpression {
        var operands = [try parseAnd(after: context)]
        while peek() == UInt8(ascii: "|") {
            index += 1
            operands.append(try parseAnd(after: "`|`"))
        }
        return Self.combine(operands, or: true)
    }

    private mutating func parseAnd(after context: String?) throws(MatrixExpressionError) -> MatrixExpression {
        var operands = [try parsePrimary(after: context)]
        while peek() == UInt8(ascii: "&") {
            index += 1
            operands.append(try parsePrimary(after: "`&`"))
        }
        return Self.combine(operands, or: false)
    }

    private mutating func parsePrimary(after context: String?) throws(MatrixExpressionError) -> MatrixExpression {
        let expected = context.map { "\(Self.operandHint) after \($0)" } ?? Self.operandHint
        guard let byte = peek() else {
            throw MatrixExpressionError(
                kind: .unexpectedEnd, offset: index, message: "expected \(expected), found the end of the expression")
        }
        switch byte {
        case UInt8(ascii: "("):
            let open = index
            index += 1
            if peek() == UInt8(ascii: ")") {
                throw MatrixExpressionError(
                    kind: .emptyParentheses, offset: open,
                    message: "`()` is empty; put \(Self.operandHint) inside or remove the parentheses")
            }
            depth += 1
            if depth > MatrixExpression.maximumDepth {
                throw MatrixExpressionError(
                    kind: .nestingTooDeep, offset: open,
                    message: "parentheses nest more than \(MatrixExpression.maximumDepth) levels deep here")
            }
            let inner = try parseOr(after: "`(`")
            depth -= 1
            guard let close = peek() else {
                throw MatrixExpressionError(
                    kind: .missingCloseParenthesis, offset: open,
                    message: "this `(` is never closed; expected `)` before the end of the expression")
            }
            guard close == UInt8(ascii: ")") else {
                throw unexpected(expected: "`&`, `|` or `)`")
            }
            index += 1
            return inner
        case UInt8(ascii: "+"):
            let plus = index
            index += 1
            guard let name = scanName() else {
                if index >= bytes.count {
                    throw MatrixExpressionError(
                        kind: .unexpectedEnd, offset: index,
                        message: "expected a set name right after `+`, found the end of the expression")
                }
                throw unexpected(expected: "a set name right after `+`")
            }
            return .reference(name, offset: plus)
        default:
            let start = index
            guard let name = scanName() else {
                throw unexpected(expected: expected)
            }
            return .name(name, offset: start)
        }
    }

    /// Skips blanks and returns the next byte without consuming it.
    private mutating func peek() -> UInt8? {
        skipBlanks()
        return index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipBlanks() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
            index += 1
        }
    }

    /// The name starting at `index`, consumed, or nil when none starts there.
    private mutating func scanName() -> String? {
        let start = index
        while index < bytes.count, let (scalar, length) = scalar(at: index), Self.isNameScalar(scalar) {
            index += length
        }
        guard index > start else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = UInt8(scalar.value)
            return (value >= 0x30 && value <= 0x39) || (value | 0x20 >= 0x61 && value | 0x20 <= 0x7A)
                || "-._:/".utf8.contains(value)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The Unicode scalar starting at byte `offset` and its UTF-8 length, or nil
    /// for an invalid sequence.
    private func scalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        return (scalar, UTF8.width(scalar))
    }

    private func unexpected(expected: String) -> MatrixExpressionError {
        let found: String
        if let (scalar, _) = scalar(at: index) {
            found = "`\(Character(scalar))`"
        } else {
            found = "byte 0x\(String(bytes[index], radix: 16, uppercase: true))"
        }
        return MatrixExpressionError(
            kind: .unexpectedCharacter, offset: index, message: "expected \(expected), found \(found)")
    }

    /// One operand as itself, several as an n-ary node with same-kind operands flattened.
    private static func combine(_ operands: [MatrixExpression], or: Bool) -> MatrixExpression {
        guard operands.count > 1 else { return operands[0] }
        var flat: [MatrixExpression] = []
        for operand in operands {
            switch (operand, or) {
            case (.or(let inner), true), (.and(let inner), false): flat += inner
            default: flat.append(operand)
            }
        }
        return or ? .or(flat) : .and(flat)
    }
}
