import Foundation

/// Line-oriented, unbuffered stdout: the supervisor reads the fake backend's output line by
/// line, so every line must leave the process the moment it is logged.
enum StandardOutput {
    /// Writes `"fake-backend: " + message + "\n"` straight to file descriptor 1.
    static func log(_ message: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data("fake-backend: \(message)\n".utf8))
    }
}
