import AsyncHTTPClient

extension HTTPClient {
    /// Runs `body` with a new client on the shared event loops and shuts the client
    /// down afterwards, also when `body` throws.
    static func withClient<T>(
        configuration: Configuration = Configuration(), _ body: (HTTPClient) async throws -> T
    ) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(client)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
