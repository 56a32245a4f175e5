import Foundation
import SwapTestSupport
import Testing

extension EndToEndTests {
    @Test("ttl: 2 unloads an idle llama-server; the next request loads it again", .timeLimit(.minutes(3)))
    func ttlUnload() async throws {
        let config = try Self.llama().yaml([.init(name: "brief", contextSize: 512, extra: ["    ttl: 2"])])
        try await Self.withLlamaServer(config: config) { server, seen in
            #expect(try await LlamaClient.chat(server, "brief").status == 200)
            let running = try await LlamaClient.running(server)
            seen.record(running)
            let pid = try #require(running["brief"]?.pid)

            #expect(
                try await LlamaClient.eventually(seconds: 20) { try await LlamaClient.running(server).isEmpty },
                "/running is empty after the TTL")
            #expect(await LlamaClient.eventually { !LlamaClient.processExists(pid) }, "the process is gone")

            #expect(try await LlamaClient.chat(server, "brief").status == 200)
            let again = try await LlamaClient.running(server)
            seen.record(again)
            #expect(again["brief"].map { $0.pid != pid } == true, "a new llama-server serves it")
        }
    }
}
