import AsyncHTTPClient
import Foundation
import NIOCore
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// A headless Chromium driven over WebDriver's HTTP protocol (W3C, through Debian's
/// `chromedriver`), for the UI's browser tests. Written here because WebDriver is a
/// handful of JSON requests and the Swift clients on offer bring Selenium's weight.
public struct WebDriver: Sendable {
    /// `http://127.0.0.1:PORT/session/ID` of the open session.
    let session: String

    /// Where Debian puts the driver and the browser.
    public static let driverPath = "/usr/bin/chromedriver"
    /// The browser binary.
    public static let browserPath = "/usr/bin/chromium"

    /// True when chromedriver and chromium are installed.
    public static var available: Bool {
        FileManager.default.isExecutableFile(atPath: driverPath)
            && FileManager.default.isExecutableFile(atPath: browserPath)
    }

    /// Why the browser tests are skipped when ``available`` is false.
    public static let skipReason =
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver): run scripts/setup.sh"

    /// Starts chromedriver on an OS-chosen port, opens a headless browser session of
    /// `width`×`height` for `body`, and ends both afterwards.
    public static func withBrowser(
        width: Int = 1280, height: Int = 860, _ body: @Sendable (WebDriver) async throws -> Void
    ) async throws {
        let port = try ServerHarness.freePort()
        let output = OutputLog()
        // chromedriver and the browser it starts share a new process group, which is
        // signalled as a whole at the end: chromedriver does not stop its browsers when it is
        // stopped itself.
        var options = PlatformOptions()
        options.processGroupID = 0
        _ = try await Subprocess.run(
            .path(FilePath(driverPath)), arguments: ["--port=\(port)", "--allowed-ips=127.0.0.1"],
            platformOptions: options, input: .none, output: .sequence, error: .sequence
        ) { execution in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { for try await line in execution.standardOutput.strings() { output.append(line) } }
                group.addTask { for try await line in execution.standardError.strings() { output.append(line) } }
                let base = "http://127.0.0.1:\(port)"
                var failure: (any Error)?
                do {
                    let ready = try await Polling.eventually(within: .seconds(20), every: .milliseconds(50)) {
                        let status = try? await TestHTTP.send("GET", base + "/status", timeout: .seconds(2))
                        return status?.status == 200
                    }
                    guard ready else { throw HarnessError("chromedriver did not start: \(output.all)") }
                    let driver = try await open(base: base, width: width, height: height)
                    do {
                        try await body(driver)
                    } catch {
                        failure = error
                    }
                    // Not cancelled with the test (a cancelled test still closes its browser).
                    await Task.detached { _ = try? await driver.command("DELETE", "") }.value
                } catch {
                    failure = error
                }
                try? execution.send(signal: .terminate, toProcessGroup: true)
                try await group.waitForAll()
                if let failure { throw failure }
            }
        }
    }

    private static func open(base: String, width: Int, height: Int) async throws -> WebDriver {
        let options: [String: Any] = [
            "binary": browserPath,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=\(width),\(height)", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/swap-chromium-\(UUID().uuidString)",
            ],
        ]
        let capabilities: [String: Any] = [
            "browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": ["browser": "ALL"],
        ]
        let reply = try await TestHTTP.send(
            "POST", base + "/session", json: ["capabilities": ["alwaysMatch": capabilities]], timeout: .seconds(60))
        guard let value = reply.json?["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw HarnessError("chromedriver opened no session: \(reply.status) \(reply.body)")
        }
        return WebDriver(session: base + "/session/" + id)
    }

    /// Sends one WebDriver command and returns its `value`.
    @discardableResult
    func command(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let reply = try await TestHTTP.send(
            method, session + path, json: body ?? (method == "POST" ? [:] : nil), timeout: .seconds(60))
        let value = reply.json?["value"]
        if reply.status != 200 {
            let error = (value as? [String: Any])?["message"] as? String ?? reply.body
            throw HarnessError("WebDriver \(method) \(path): \(reply.status) \(error)")
        }
        return value
    }

    /// Opens `url`.
    public func open(_ url: String) async throws {
        try await command("POST", "/url", ["url": url])
    }

    /// Runs `script` (a function body; `arguments[0]`… are `arguments`) in the page and
    /// returns what it returns.
    @discardableResult
    public func run(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await command("POST", "/execute/sync", ["script": script, "args": arguments])
    }

    /// The `textContent` of the first element matching `selector`, or nil when none does.
    public func text(_ selector: String) async throws -> String? {
        try await run("const e = document.querySelector(arguments[0]); return e ? e.textContent : null;", [selector])
            as? String
    }

    /// Clicks the first element matching `selector` (a real click through WebDriver).
    public func click(_ selector: String) async throws {
        let element = try await command("POST", "/element", ["using": "css selector", "value": selector])
        guard let reference = (element as? [String: Any])?.values.first as? String else {
            throw HarnessError("no element \(selector)")
        }
        try await command("POST", "/element/\(reference)/click")
    }

    /// Types `text` into the first element matching `selector`.
    public func type(_ selector: String, _ text: String) async throws {
        let element = try await command("POST", "/element", ["using": "css selector", "value": selector])
        guard let reference = (element as? [String: Any])?.values.first as? String else {
            throw HarnessError("no element \(selector)")
        }
        try await command("POST", "/element/\(reference)/value", ["text": text])
    }

    /// Waits (bounded) until `condition` holds; false when it never did.
    public func eventually(
        within timeout: Duration = .seconds(15), _ condition: () async throws -> Bool
    ) async throws -> Bool {
        try await Polling.eventually(within: timeout, every: .milliseconds(50), condition)
    }

    /// A PNG screenshot of the window.
    public func screenshot() async throws -> Data {
        guard let base64 = try await command("GET", "/screenshot") as? String, let data = Data(base64Encoded: base64)
        else { throw HarnessError("no screenshot") }
        return data
    }

    /// Sends `Authorization` with every request of the page, as a browser does once the
    /// user answered its Basic prompt (Chrome DevTools Protocol through chromedriver).
    public func sendAuthorization(_ value: String) async throws {
        try await command("POST", "/goog/cdp/execute", ["cmd": "Network.enable", "params": [:] as [String: Any]])
        try await command(
            "POST", "/goog/cdp/execute",
            ["cmd": "Network.setExtraHTTPHeaders", "params": ["headers": ["Authorization": value]]])
    }

    /// One entry of the browser's console log.
    public struct LogEntry: Sendable, CustomStringConvertible {
        /// `SEVERE`, `WARNING`, `INFO`…
        public let level: String
        /// The message (for a failed load it starts with the URL).
        public let message: String
        /// `level: message`.
        public var description: String { "\(level): \(message)" }
    }

    /// The console entries since the last call (uncaught errors and failed loads are `SEVERE`).
    public func browserLog() async throws -> [LogEntry] {
        let value = try await command("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
        return value.map { LogEntry(level: $0["level"] as? String ?? "", message: $0["message"] as? String ?? "") }
    }
}
