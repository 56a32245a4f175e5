/// Why a matrix set expression could not be parsed or expanded.
///
/// `offset` is a UTF-8 byte offset into the expression text. For expansion errors
/// it is the offset of the `+ref` in the expression `expand` was called on that
/// led to the problem, so a caller holding that text's span can point at it.
public struct MatrixExpressionError: Error, Sendable, Hashable {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// A character that cannot start or continue the expression here.
        case unexpectedCharacter
        /// The text ends where more was expected.
        case unexpectedEnd
        /// `()` with nothing inside.
        case emptyParentheses
        /// A `(` that is never closed.
        case missingCloseParenthesis
        /// A `+ref` naming a set that does not exist.
        case unknownReference(String)
        /// A `+ref` that leads back to itself; the chain starts and ends with the
        /// same set name (`["a", "b", "a"]`).
        case cycle([String])
        /// The expansion would produce more than ``MatrixExpression/maximumSetCount`` sets.
        case tooManySets
        /// Parentheses or a chain of `+ref`s nested deeper than
        /// ``MatrixExpression/maximumDepth``.
        case nestingTooDeep
    }

    /// What went wrong.
    public var kind: Kind
    /// UTF-8 byte offset into the expression text.
    public var offset: Int
    /// One sentence saying what was found and what was expected.
    public var message: String

    /// Creates an error.
    public init(kind: Kind, offset: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }
}
