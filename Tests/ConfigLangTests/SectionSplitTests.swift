import Foundation
import Testing

@testable import ConfigLang

/// The names of the section entries a compose handed out, in any order.
struct EntryNames: SectionEntryConsumer {
    var names: [String] = []

    mutating func add(_ entry: YAMLEntry) { names.append(entry.name) }
    mutating func absorb(_ other: EntryNames) { names += other.names }
}

/// A large file's `models` section parsed piece by piece (``SectionSplit``,
/// `YAMLComposer.composeSplit`) must give what parsing the file whole gives, or not be
/// split at all.
@Suite("models section parsed in pieces")
struct SectionSplitTests {
    static func split(_ text: String, pieces: Int = 3) -> SectionSplit? {
        Array(text.utf8).withUnsafeBufferPointer { SectionSplit.find(in: $0, section: "models", pieces: pieces) }
    }

    static func text(_ bytes: [UInt8], _ piece: SectionSplit.Piece) -> String {
        String(decoding: bytes[piece.bytes], as: UTF8.self)
    }

    /// Composes `source` whole and split into `pieces`; when it splits, expects the same
    /// root, diagnostics and entries handed out. Returns whether it split.
    @discardableResult
    static func expectSameAsWhole(_ source: SourceFile, pieces: Int) -> Bool {
        var whole = EntryNames()
        let expected = YAMLComposer.compose(source, pipelined: false, section: "models") { whole.add($0) }
        var parts = EntryNames()
        guard let split = YAMLComposer.composeSplit(source, section: "models", pieces: pieces, into: &parts) else {
            #expect(parts.names.isEmpty, "a split that gave up handed out nothing")
            return false
        }
        #expect(split.root == expected.root, "\(source.name) in \(pieces) pieces")
        #expect(split.diagnostics == expected.diagnostics, "\(source.name) in \(pieces) pieces")
        #expect(parts.names.sorted() == whole.names.sorted(), "\(source.name) in \(pieces) pieces")
        if split.root != expected.root, let one = split.root, let other = expected.root {
            Issue.record("first difference: \(firstDifference(one, other) ?? "none")")
        }
        return true
    }

    /// The first pair of nodes that differ, described.
    static func firstDifference(_ one: YAMLNode, _ other: YAMLNode) -> String? {
        if one == other { return nil }
        switch (one.kind, other.kind) {
        case (.mapping(let a), .mapping(let b)) where a.count == b.count:
            for (x, y) in zip(a, b) {
                if let found = firstDifference(x.key, y.key) ?? firstDifference(x.value, y.value) { return found }
            }
        case (.sequence(let a), .sequence(let b)) where a.count == b.count:
            for (x, y) in zip(a, b) { if let found = firstDifference(x, y) { return found } }
        default: break
        }
        return "\(one.span) \(String(describing: one.reference)) vs \(other.span) \(String(describing: other.reference)): \(String(describing: one.scalar)) / \(String(describing: other.scalar))"
    }

    static let plain = """
        # leading comment
        startPort: 9000
        macros:
          bin: /opt/server
        models:   # the models
          a:
            cmd: |
              ${bin} --port ${PORT}
              # a comment line inside the block
                --deeper
            aliases:
            - a1
            - a2
        # a comment at column 0 between entries

          "b":
            cmd: "quoted
              over two lines"
          c: {cmd: flow}
          d:
            <<: {ttl: 5}
            cmd: x
          a:
            cmd: duplicate of a
        groups:
          g:
            members: [a, b]
        """

    @Test("pieces start at entry lines and cover the section; head and tail around it")
    func piecesCoverTheSection() throws {
        let bytes = Array(Self.plain.utf8)
        let split = try #require(Self.split(Self.plain, pieces: 100))
        #expect(split.indent == 2)
        #expect(Self.text(bytes, split.head).hasSuffix("models:   # the models\n"))
        #expect(Self.text(bytes, split.tail).hasPrefix("groups:\n"))
        #expect(split.pieces.map { Self.text(bytes, $0).prefix { $0 != ":" } } == ["  a", "  \"b\"", "  c", "  d", "  a"])
        #expect(split.pieces.first?.bytes.lowerBound == split.head.bytes.upperBound)
        #expect(split.pieces.last?.bytes.upperBound == split.tail.bytes.lowerBound)
        for (one, next) in zip(split.pieces, split.pieces.dropFirst()) {
            #expect(one.bytes.upperBound == next.bytes.lowerBound)
        }
        let lines = Self.plain.split(separator: "\n", omittingEmptySubsequences: false)
        for piece in split.pieces + [split.tail] {
            #expect(String(lines[piece.firstLine]) == String(Self.text(bytes, piece).prefix { $0 != "\n" }))
        }
        // Fewer pieces join neighbouring entries.
        #expect(Self.split(Self.plain, pieces: 2)?.pieces.count == 2)
    }

    @Test(
        "files that are not split",
        arguments: [
            ("no models section", "a: 1\nb:\n  c: 2\n  d: 3\n"),
            ("models with a value on its line", "models: {a: {cmd: x}, b: {cmd: y}}\n"),
            ("one model", "models:\n  a:\n    cmd: x\n"),
            ("a tab in the indentation", "models:\n  a:\n    cmd: x\n\tb:\n    cmd: y\n"),
            ("a directive", "%YAML 1.1\n---\nmodels:\n  a: {cmd: x}\n  b: {cmd: y}\n"),
            ("entries at two indentations", "models:\n    a: {cmd: x}\n  b: {cmd: y}\n"),
            ("a second document", "models:\n  a: {cmd: x}\n  b: {cmd: y}\n---\nc: 1\n"),
            ("an anchor on the section", "models: &m\n  a: {cmd: x}\n  b: {cmd: y}\n"),
            ("a sequence at column 0 after it", "models:\n  a: {cmd: x}\n  b: {cmd: y}\n- item\n"),
        ])
    func notSplit(name: String, text: String) {
        #expect(Self.split(text) == nil, "\(name)")
    }

    @Test("the plain shape, in every number of pieces: the same as parsing whole", arguments: [2, 3, 100])
    func plainShape(pieces: Int) {
        let source = SourceFile(name: "plain.yaml", text: Self.plain)
        #expect(Self.expectSameAsWhole(source, pieces: pieces))
    }

    @Test(
        "edge shapes that split: the same as parsing whole",
        arguments: [
            ("models last, no newline at the end", "a: 1\nmodels:\n  x:\n    cmd: one\n  y:\n    cmd: two"),
            ("models last, comments after", "models:\n  x: {cmd: one}\n  y: {cmd: two}\n# end\n\n"),
            ("CRLF line ends", "a: 1\r\nmodels:\r\n  x:\r\n    cmd: one\r\n  y:\r\n    cmd: two\r\nb: 2\r\n"),
            ("a document start first", "---\nmodels:\n  x: {cmd: one}\n  y: {cmd: two}\nz: 1\n"),
            ("unicode and quoted keys", "models:\n  'é-model':\n    name: \"ünïcode\"\n  \"b:c\": {cmd: y}\n"),
            ("a duplicate top-level key after", "models:\n  x: {cmd: one}\n  y: {cmd: two}\nmodels:\n  z: {}\n"),
            ("an empty model", "models:\n  x:\n  y: {cmd: two}\n"),
            ("a tag on a value", "models:\n  x: !!str 5\n  y: {cmd: !!str two}\n"),
            ("an alias after the section", "b: &b [1]\nmodels:\n  x: {cmd: one}\n  y: {cmd: two}\ngroups: *b\n"),
            ("an anchor after the section", "models:\n  x: {cmd: one}\n  y: {cmd: two}\ng: &g 1\nh: *g\n"),
        ])
    func edgeShapes(name: String, text: String) {
        for pieces in [2, 100] {
            #expect(Self.expectSameAsWhole(SourceFile(name: "edge.yaml", text: text), pieces: pieces), "\(name)")
        }
    }

    @Test(
        "pieces that do not stand on their own: parsed whole instead",
        arguments: [
            ("an alias of an anchor in the head", "base: &b {cmd: x}\nmodels:\n  x: *b\n  y: {cmd: y}\n"),
            ("an anchor in one piece, its alias in the next", "models:\n  x: &b {cmd: x}\n  y: *b\n"),
            ("a quoted scalar running over a cut", "models:\n  x:\n    cmd: \"one\n  y: two\"\n  z: {cmd: z}\n"),
            ("a flow mapping running over a cut", "models:\n  x: {cmd: one,\n  y: two}\n  z: {cmd: z}\n"),
            ("a syntax error in a piece", "models:\n  x:\n    cmd: [unclosed\n  y: {cmd: y}\n"),
            ("a broken head", "a: [\nmodels:\n  x: {cmd: one}\n  y: {cmd: two}\n"),
        ])
    func fallBack(name: String, text: String) {
        #expect(!Self.expectSameAsWhole(SourceFile(name: "fallback.yaml", text: text), pieces: 100), "\(name)")
    }

    @Test("examples, broken cases and the corpus: split or not, the same as parsing whole")
    func everyKnownConfig() throws {
        var corpus: [String] = []
        if TestPaths.corpusExists {
            corpus = try FileManager.default.contentsOfDirectory(atPath: TestPaths.corpus.path)
                .filter { $0.hasSuffix(".yaml") }.sorted().map { TestPaths.corpus.appendingPathComponent($0).path }
        }
        var corpusSplits = 0
        for path in CompilePurposeTests.configs() + corpus {
            let source = SourceFile(name: path, bytes: try TestPaths.bytes(URL(fileURLWithPath: path)))
            for pieces in [2, 100] where Self.expectSameAsWhole(source, pieces: pieces) {
                if corpus.contains(path) { corpusSplits += 1 }
            }
        }
        // Most real configs have the plain shape (each is tried twice). A missing corpus
        // is reported by CorpusTests.
        if !corpus.isEmpty { #expect(corpusSplits > corpus.count) }
    }

    @Test("a large generated config: split, the same as parsing whole, every model checked ahead")
    func largeConfig() {
        let source = SourceFile(name: "large.yaml", text: ParallelCompileTests.largeConfig(count: 800))
        #expect(Self.expectSameAsWhole(source, pieces: 7))
        var names = EntryNames()
        _ = YAMLComposer.compose(source, section: "models", into: &names)
        #expect(names.names.count == 800)
    }
}

/// The parts of a large plan's document are written a round at a time as the document
/// reaches them (``RenderedPlanParts``); whatever the order of reading, each text is the
/// one for its model.
@Suite("plan parts written in rounds")
struct RenderedPlanPartsTests {
    static func parts(_ count: Int, roundSize: Int) -> RenderedPlanParts {
        RenderedPlanParts(ids: (0..<count).map { "m\($0)" }, roundSize: roundSize) { id in
            Array((id ?? "names").utf8)
        }
    }

    @Test("in document order, across several rounds and a short last one", arguments: [1, 3, 7, 10, 64])
    func inOrder(roundSize: Int) {
        let parts = Self.parts(10, roundSize: roundSize)
        #expect(parts.names == Array("names".utf8))
        let texts = parts.ids.indices.map { String(decoding: parts.text(at: $0), as: UTF8.self) }
        #expect(texts == parts.ids)
    }

    @Test("out of order, going back to an earlier round")
    func outOfOrder() {
        let parts = Self.parts(10, roundSize: 3)
        for index in [9, 0, 4, 3, 8, 1] {
            #expect(String(decoding: parts.text(at: index), as: UTF8.self) == "m\(index)")
        }
        #expect(parts.names == Array("names".utf8))
    }
}
