extension DisplayTree {
    /// Writes the tree as pretty JSON, as ``JSONTextWriter`` writes its tokens.
    ///
    /// - Parameter depth: the nesting the value is written at, when it is a member
    ///   value another writer places after its key (`0` for a whole document).
    func writeJSON(into buffer: TextBuffer, depth: Int = 0) {
        var writer = JSONTextWriter(into: buffer, depth: depth)
        for token in tokens { writer.add(token) }
    }
}
