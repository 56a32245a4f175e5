import ConfigLang
import Foundation
import Hummingbird

/// A completion written as Server-Sent Events, one `write` (and so one flushed HTTP chunk)
/// per event, so a proxy in between can be checked for forwarding without buffering.
///
/// Event order for chat and text completions: `data: <token chunk 0>\n\n` …
/// `data: <token chunk N-1>\n\n`, `data: <final chunk>\n\n`, `data: [DONE]\n\n`.
/// `/v1/responses` and `/v1/messages` streams are named events (`event: …` then `data: …`)
/// in their APIs' order (``CompletionRequest/openingEvents()``). Consecutive token events
/// are `tokenDelay` apart; the first goes out at once.
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
            do {
                try await self.write(to: &writer)
            } catch {
                // Tests read this line to see that the client (or a proxy) went away mid-stream.
                StandardOutput.log("stream closed by the client before its end")
                throw error
            }
        }
    }

    private func write(to writer: inout any ResponseBodyWriter) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        for opening in request.openingEvents() {
            try await writer.write(Self.event(opening.payload, named: opening.event))
        }
        for index in 0..<request.completionTokens {
            if index > 0, tokenDelay > .zero {
                try await Task.sleep(for: tokenDelay)
            }
            let token = request.tokenEvent(index)
            try await writer.write(Self.event(token.payload, named: token.event))
            written += 1
            await crashIfDue(written)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let closing = request.closingEvents(elapsedSeconds: seconds)
        for event in closing.events {
            try await writer.write(Self.event(event.payload, named: event.event))
            written += 1
            await crashIfDue(written)
        }
        if closing.done { try await writer.write(ByteBuffer(string: "data: [DONE]\n\n")) }
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

    private static func event(_ payload: JSONValue, named name: String?) -> ByteBuffer {
        var buffer = ByteBuffer(string: name.map { "event: \($0)\n" } ?? "")
        buffer.writeString("data: ")
        buffer.writeBytes(payload.encoded())
        buffer.writeString("\n\n")
        return buffer
    }
}
