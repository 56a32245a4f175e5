import ConfigLang
import Foundation
import Hummingbird

/// A completion written as Server-Sent Events, one `write` (and so one flushed HTTP chunk)
/// per event, so a proxy in between can be checked for forwarding without buffering.
///
/// Event order: `data: <token chunk 0>\n\n` … `data: <token chunk N-1>\n\n`,
/// `data: <final chunk>\n\n`, `data: [DONE]\n\n`. Consecutive token chunks are
/// `tokenDelay` apart; the first goes out at once.
struct CompletionStream: Sendable {
    /// The request being answered.
    var request: CompletionRequest
    /// Pause between consecutive token chunks.
    var tokenDelay: Duration
    /// Exit the process with status 3 once this many data chunks are written.
    var crashAfterChunks: Int?

    /// The response body; nothing is generated until Hummingbird starts writing it.
    func responseBody() -> ResponseBody {
        ResponseBody { writer in
            try await self.write(to: &writer)
        }
    }

    private func write(to writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        for index in 0..<request.completionTokens {
            if index > 0, tokenDelay > .zero {
                try await Task.sleep(for: tokenDelay)
            }
            try await writer.write(Self.event(request.tokenChunk(index)))
            written += 1
            await crashIfDue(written)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try await writer.write(Self.event(request.finalChunk(elapsedSeconds: seconds)))
        written += 1
        await crashIfDue(written)
        try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
        try await writer.finish(nil)
    }

    /// Ends the process mid-response when `--crash-after-chunks` is reached, after a short
    /// pause so the chunks already written leave the socket first.
    private func crashIfDue(_ written: Int) async {
        guard let limit = crashAfterChunks, written >= limit else { return }
        StandardOutput.log("crashing after \(written) chunks (--crash-after-chunks)")
        try? await Task.sleep(for: .milliseconds(100))
        exit(3)
    }

    private static func event(_ payload: JSONValue) -> ByteBuffer {
        var buffer = ByteBuffer(string: "data: ")
        buffer.writeBytes(payload.encoded())
        buffer.writeString("\n\n")
        return buffer
    }
}
