/// A source line as the human renderer displays it, with the display cell each
/// column starts at, so underlines line up under tabs and wide characters.
struct LineLayout {
    /// Tab stops are every this many cells.
    static let tabWidth = 4

    /// The line with tabs expanded and control characters replaced.
    let text: String
    /// `cells[i]` is the display cell where the scalar at column `i + 1` starts;
    /// the last element is the line's width.
    let cells: [Int]

    /// Lays out `line`.
    init(_ line: String) {
        var text = ""
        var cells: [Int] = []
        var cell = 0
        for scalar in line.unicodeScalars {
            cells.append(cell)
            if scalar == "\t" {
                let next = (cell / Self.tabWidth + 1) * Self.tabWidth
                text += String(repeating: " ", count: next - cell)
                cell = next
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                text += "\u{FFFD}"
                cell += 1
            } else {
                text.unicodeScalars.append(scalar)
                cell += Self.cellWidth(of: scalar)
            }
        }
        cells.append(cell)
        self.text = text
        self.cells = cells
    }

    /// The display width of the whole line.
    var width: Int { cells[cells.count - 1] }

    /// The display cell of 1-based `column`; columns past the end of the line
    /// count one cell each.
    func cell(atColumn column: Int) -> Int {
        let index = max(0, column - 1)
        if index < cells.count { return cells[index] }
        return width + index - (cells.count - 1)
    }

    private static func cellWidth(of scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
