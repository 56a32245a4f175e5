#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process environment, read from `environ` without Foundation.
enum Environment {
    /// Every `NAME=value` entry; the first wins when a name repeats.
    static func current() -> [String: String] {
        #if canImport(Darwin)
            let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = _NSGetEnviron().pointee
        #else
            let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = environ
        #endif
        guard let entries = table else { return [:] }
        var result: [String: String] = [:]
        var index = 0
        while let entry = entries[index] {
            index += 1
            let text = String(cString: entry)
            guard let equals = text.firstIndex(of: "=") else { continue }
            let name = String(text[..<equals])
            if result[name] == nil { result[name] = String(text[text.index(after: equals)...]) }
        }
        return result
    }
}
