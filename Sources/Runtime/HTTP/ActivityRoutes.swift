import ConfigLang
import HTTPTypes
import Hummingbird
import NIOCore

/// What the activity routes read: the requests in flight, the history, the captures
/// and the event stream.
public struct ActivityServices: Sendable {
    /// Requests in flight; cancel.
    public var tracker: ActivityTracker
    /// Finished requests.
    public var history: ActivityHistory
    /// Request and response bodies.
    public var captures: CaptureCache
    /// `/api/events`.
    public var events: EventHub

    /// Creates the bundle.
    public init(tracker: ActivityTracker, history: ActivityHistory, captures: CaptureCache, events: EventHub) {
        self.tracker = tracker
        self.history = history
        self.captures = captures
        self.events = events
    }
}

/// llama-swap's activity API: `GET /api/metrics/activity`, `GET /api/metrics/stats`,
/// `GET /api/captures/{id}`, `POST /api/inflight/{id}/cancel` and `GET /api/events`.
extension ManagementRoutes {
    /// The response for one of these routes, or nil when the path is not one.
    func activityResponse(to request: Request) async throws -> Response? {
        guard let activity else { return nil }
        let path = request.uri.path
        switch (request.method, path) {
        case (.get, "/api/metrics/activity"):
            let items = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
            do {
                let query = try ActivityQuery(items)
                return json(query.page(of: activity.history.records()))
            } catch {
                throw OpenAIError.badRequest(error.message)
            }
        case (.get, "/api/metrics/stats"):
            let model = request.uri.queryParameters.get("model").flatMap { $0.isEmpty ? nil : $0 }
            return json(ActivityStats.json(activity.history.records(), model: model))
        case (.get, _) where path.hasPrefix("/api/captures/"):
            let text = path.dropFirst("/api/captures/".count)
            guard let id = Int(text), let capture = activity.captures.capture(id: id) else {
                throw OpenAIError(
                    .notFound, "No capture `\(text)`: it was never kept (`captureBuffer` is 0) or has been evicted.",
                    type: "invalid_request_error", code: "capture_not_found")
            }
            return json(capture.json)
        case (.post, _) where path.hasPrefix("/api/inflight/") && path.hasSuffix("/cancel"):
            let text = path.dropFirst("/api/inflight/".count).dropLast("/cancel".count)
            guard let id = Int(text), activity.tracker.cancel(id: id) else {
                throw OpenAIError(
                    .notFound, "No request `\(text)` in flight.", type: "invalid_request_error",
                    code: "request_not_found")
            }
            return json(.object(["msg": .string("ok")]))
        case (.get, "/api/events"):
            return events(activity.events)
        default:
            return nil
        }
    }

    private func events(_ hub: EventHub) -> Response {
        let body = ResponseBody { writer in
            let mailbox = await hub.connect()
            defer { hub.disconnect(mailbox) }
            while let frames = await mailbox.next() {
                try await writer.write(frames)
                // Lets the requests on this event loop post their frames before the next take.
                await Task.yield()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "keep-alive",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("X-Accel-Buffering")!: "no",
            ], body: body)
    }
}
