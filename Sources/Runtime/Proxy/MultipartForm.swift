/// The small part of multipart/form-data swap needs: find the `model` field of an
/// upload (audio transcription, image edit) and replace its value.
public struct MultipartForm: Sendable {
    /// The boundary from the Content-Type header.
    public let boundary: String

    /// Reads the boundary of a `multipart/form-data; boundary=…` content type.
    public init?(contentType: String) {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: " \t") == "boundary" else { continue }
            var value = parts[1].trimmingCharacters(in: " \t")
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            guard !value.isEmpty else { return nil }
            boundary = value
            return
        }
        return nil
    }

    /// The `model` field's value and the byte range of that value in `body`.
    public func modelField(in body: [UInt8]) -> (value: String, range: Range<Int>)? {
        let delimiter = Array("--\(boundary)".utf8)
        var index = 0
        while let start = body.firstRange(of: delimiter, from: index) {
            let partStart = start.upperBound
            guard let headerEnd = body.firstRange(of: Array("\r\n\r\n".utf8), from: partStart) else { return nil }
            let headers = String(decoding: body[partStart..<headerEnd.lowerBound], as: UTF8.self).lowercased()
            let next = body.firstRange(of: Array("\r\n--\(boundary)".utf8), from: headerEnd.upperBound)
            if headers.contains("name=\"model\""), let next {
                let range = headerEnd.upperBound..<next.lowerBound
                return (String(decoding: body[range], as: UTF8.self), range)
            }
            guard let next else { return nil }
            index = next.lowerBound + 2
        }
        return nil
    }

    /// `body` with the `model` field's value replaced.
    public func replacingModel(in body: [UInt8], with model: String) -> [UInt8] {
        guard let field = modelField(in: body) else { return body }
        return Array(body[..<field.range.lowerBound]) + Array(model.utf8) + Array(body[field.range.upperBound...])
    }
}

extension Array where Element == UInt8 {
    /// The first occurrence of `needle` at or after `from`.
    func firstRange(of needle: [UInt8], from: Int) -> Range<Int>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = from
        while index + needle.count <= count {
            if self[index] == needle[0], self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view = view.dropFirst() }
        while let last = view.last, set.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
