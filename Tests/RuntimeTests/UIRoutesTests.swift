import AsyncHTTPClient
import Foundation
import SwapTestSupport
import Testing

@testable import Runtime

/// The web UI's files: which file answers a path, its type and validator, and how
/// swap-server serves them.
@Suite("web UI files")
struct UIRoutesTests {
    /// A client that shows redirects instead of following them.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    /// Status and `Location` of GET `url`, not followed.
    static func redirect(_ url: String, headers: [(String, String)] = []) async throws -> (Int, String?) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), response.headers.first(name: "location"))
    }

    @Test("a file answers its own path; a page path without an extension gets index.html")
    func lookup() throws {
        let assets = UIAssets(["index.html": "<!doctype html>", "app.js": "export {}", "pages/models.js": "//"])
        #expect(assets.asset(for: "")?.body == "<!doctype html>")
        #expect(assets.asset(for: "app.js")?.contentType == "text/javascript; charset=utf-8")
        #expect(assets.asset(for: "pages/models.js")?.body == "//")
        #expect(assets.asset(for: "models")?.body == "<!doctype html>")
        #expect(assets.asset(for: "models/coder")?.contentType == "text/html; charset=utf-8")
        #expect(assets.asset(for: "missing.js") == nil)
        #expect(assets.asset(for: "pages/missing.css") == nil)
    }

    @Test("the ETag changes with the text and is stable for the same text")
    func etag() {
        #expect(UIAssets.etag("a") == UIAssets.etag("a"))
        #expect(UIAssets.etag("a") != UIAssets.etag("b"))
        #expect(UIAssets.etag("").count == 18)
    }

    @Test("the embedded UI has its entry points and stays well under 200 KB")
    func embedded() {
        let files = UIAssets.embedded.files
        for name in ["index.html", "app.js", "style.css", "store.js", "pages/models.js", "pages/config.js"] {
            #expect(files[name] != nil, "\(name)")
        }
        // index.html preloads every module, so the browser fetches them in one round.
        let index = files["index.html"]?.body ?? ""
        for name in files.keys where name.hasSuffix(".js") && name != "app.js" {
            #expect(index.contains("<link rel=\"modulepreload\" href=\"/ui/\(name)\">"), "\(name) is preloaded")
        }
        let size = files.values.reduce(0) { $0 + $1.body.utf8.count }
        #expect(size < 150_000, "the UI is \(size) bytes")
        // Every module a file imports is embedded.
        for (name, asset) in files where name.hasSuffix(".js") {
            let base = name.split(separator: "/").dropLast().joined(separator: "/")
            for line in asset.body.split(separator: "\n") where line.hasPrefix("import ") {
                guard let start = line.firstIndex(of: "'"), let end = line.lastIndex(of: "'"), start < end else {
                    continue
                }
                var parts = base.isEmpty ? [] : base.split(separator: "/").map(String.init)
                for part in line[line.index(after: start)..<end].split(separator: "/") {
                    if part == ".." { parts.removeLast() } else if part != "." { parts.append(String(part)) }
                }
                #expect(files[parts.joined(separator: "/")] != nil, "\(name) imports \(line)")
            }
        }
    }

    @Test("swap-server redirects / to /ui/, serves the files with types and validators, and 404s a missing file")
    func served() async throws {
        let config = """
            startPort: {START_PORT}
            models:
              one:
                cmd: {FAKE} --port ${PORT}
            """
        try await ServerHarness.withServer(config: config) { server in
            let root = try await Self.redirect(server.base + "/")
            #expect(root == (302, "/ui/"))
            let bare = try await Self.redirect(server.base + "/ui")
            #expect(bare == (301, "/ui/"))
            let index = try await TestHTTP.send("GET", server.base + "/ui/")
            #expect(index.status == 200)
            #expect(index.header("Content-Type") == "text/html; charset=utf-8")
            #expect(index.header("Cache-Control") == "no-cache")
            #expect(index.body.contains("<script type=\"module\" src=\"/ui/app.js\">"))
            let page = try await TestHTTP.send("GET", server.base + "/ui/models/one")
            #expect(page.status == 200 && page.body == index.body)
            for (path, type) in [
                ("/ui/app.js", "text/javascript; charset=utf-8"), ("/ui/style.css", "text/css; charset=utf-8"),
                ("/ui/favicon.svg", "image/svg+xml"),
            ] {
                let file = try await TestHTTP.send("GET", server.base + path)
                #expect(file.status == 200 && file.header("Content-Type") == type, "\(path)")
            }
            let etag = try #require(index.header("ETag"))
            let again = try await TestHTTP.send("GET", server.base + "/ui/", headers: [("If-None-Match", etag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            #expect(try await TestHTTP.send("GET", server.base + "/ui/missing.js").status == 404)
            #expect(try await TestHTTP.send("POST", server.base + "/ui/").status == 405)
            let logs = try await Self.redirect(server.base + "/logs", headers: [("Accept", "text/html")])
            #expect(logs == (302, "/ui/logs"))
        }
    }

    @Test("with apiKeys, /ui/ and the API answer 401 with a Basic challenge, and the key as Basic password opens them")
    func basicAuth() async throws {
        let config = """
            startPort: {START_PORT}
            apiKeys: ["sk-one"]
            models:
              one:
                cmd: {FAKE} --port ${PORT}
            """
        try await ServerHarness.withServer(config: config) { server in
            #expect(try await Self.redirect(server.base + "/") == (302, "/ui/"), "the redirect needs no key")
            for path in ["/ui/", "/api/config/status", "/v1/models"] {
                let denied = try await TestHTTP.send("GET", server.base + path)
                #expect(denied.status == 401)
                #expect(denied.header("WWW-Authenticate") == "Basic realm=\"swap\"")
                let basic = "Basic " + Data("anyone:sk-one".utf8).base64EncodedString()
                let allowed = try await TestHTTP.send("GET", server.base + path, headers: [("Authorization", basic)])
                #expect(allowed.status == 200, "\(path)")
            }
        }
    }
}
