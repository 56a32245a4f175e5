import ConfigLang

/// AMD GPUs as `rocm-smi --json` reports them, for `/api/performance` and
/// `/api/hardware` on machines without `nvidia-smi`.
///
/// The JSON has one object per card (`"card0"`, …) whose keys are the labels rocm-smi
/// prints, strings for every value; their wording differs between ROCm releases
/// (`Card series` / `Card Series`, `Average` / `Current Socket Graphics Package Power`),
/// so fields are found by the words they contain.
enum RocmSMI {
    /// The arguments that print every field read here.
    static let arguments = [
        "--showproductname", "--showmeminfo", "vram", "--showuse", "--showmemuse", "--showtemp", "--showpower",
        "--showmaxpower", "--showfan", "--showuniqueid", "--showdriverversion", "--json",
    ]

    /// One card: its index and its fields (label → text).
    struct Card: Equatable {
        var index: Int
        var fields: [String: String]

        /// The first field whose label contains every word of one of `labels` (case
        /// ignored), trying `labels` in order.
        func text(_ labels: [[String]]) -> String? {
            for words in labels {
                if let match = fields.first(where: { key, _ in
                    words.allSatisfy { key.lowercased().contains($0) }
                }) {
                    return match.value
                }
            }
            return nil
        }

        /// ``text(_:)`` as a number.
        func number(_ labels: [[String]]) -> Double? {
            text(labels).flatMap { Double($0.filter { !$0.isWhitespace }) }
        }
    }

    /// The cards in `json` (rocm-smi's output), in index order, and the driver version
    /// when it was printed.
    static func cards(_ json: String) -> (cards: [Card], driver: String?) {
        guard case .object(let root)? = try? JSONValue(parsing: Array(json.utf8)) else { return ([], nil) }
        var cards: [Card] = []
        var driver: String?
        for (key, value) in root {
            guard case .object(let object) = value else { continue }
            var fields: [String: String] = [:]
            for (label, field) in object {
                if case .string(let text) = field { fields[label] = text }
            }
            if key.hasPrefix("card"), let index = Int(key.dropFirst(4)) {
                cards.append(Card(index: index, fields: fields))
            } else if let version = Card(index: -1, fields: fields).text([["driver", "version"]]) {
                driver = version
            }
        }
        return (cards.sorted { $0.index < $1.index }, driver)
    }

    /// One `GpuStat` per card.
    static func gpuStats(_ json: String, timestamp: String) -> [JSONValue] {
        cards(json).cards.map { card in
            let mebibyte = Double(1 << 20)
            return .object([
                "timestamp": .string(timestamp), "id": .integer(card.index),
                "name": .string(card.text([["card", "series"], ["card", "model"]]) ?? "AMD GPU"),
                "uuid": .string(card.text([["unique", "id"]]) ?? ""),
                "temp_c": .double(card.number([["temperature", "edge"], ["temperature", "junction"]]) ?? 0),
                "vram_temp_c": .double(card.number([["temperature", "memory"]]) ?? 0),
                "gpu_util_pct": .double(card.number([["gpu use"]]) ?? 0),
                "mem_util_pct": .double(card.number([["memory allocated"], ["memory use"]]) ?? 0),
                "mem_used_mb": .double(((card.number([["vram", "used", "(b)"]]) ?? 0) / mebibyte).rounded()),
                "mem_total_mb": .double(((card.number([["vram", "total memory", "(b)"]]) ?? 0) / mebibyte).rounded()),
                "fan_speed_pct": .double(card.number([["fan speed", "%"]]) ?? 0),
                "power_draw_w": .double(
                    card.number([["average", "package power"], ["current", "package power"]]) ?? 0),
            ])
        }
    }

    /// One `accelerators` entry of the hardware snapshot per card.
    static func accelerators(_ json: String) -> [JSONValue] {
        let (cards, driver) = cards(json)
        return cards.map { card in
            .object([
                "index": .integer(card.index), "kind": .string("gpu"), "vendor": .string("AMD"),
                "model": .string(card.text([["card", "series"], ["card", "model"]]) ?? "AMD GPU"),
                "architecture": card.text([["gfx version"]]).map(JSONValue.string) ?? .null,
                "memory": .object([
                    "kind": .string("dedicated"),
                    "capacity_bytes": card.number([["vram", "total memory", "(b)"]]).map { .integer(Int($0)) } ?? .null,
                ]),
                "driver": driver.map { .object(["name": .string("amdgpu"), "version": .string($0)]) } ?? .null,
                "power_limit_watts": card.number([["max", "package power"]]).map(JSONValue.double) ?? .null,
            ])
        }
    }
}
