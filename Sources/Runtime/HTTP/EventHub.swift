import ConfigLang
import FoundationEssentials
import NIOCore
import Synchronization

/// `/api/events`: one stream of llama-swap's event frames per client, fed by the
/// server's feeds: model state changes (the scheduler), log lines (``LogHub``),
/// finished requests and in-flight changes (``ActivityTracker``), profile switches and
/// config load attempts (``CurrentConfig``).
///
/// Every frame is `event:message`, `data:{"type","data":"<payload as a JSON string>"}`.
/// Each client has an ``EventMailbox`` of ``clientBuffer`` frames; a client that falls
/// that far behind is dropped (its stream ends), so a slow client never holds up a request.
public final class EventHub: ActivityObserver, Sendable {
    /// Frames buffered per client before it is dropped.
    public static let clientBuffer = 1024

    private struct State {
        var clients: [ObjectIdentifier: EventMailbox] = [:]
        var feeds: [Task<Void, Never>] = []
        var closed = false
    }

    private let state = Mutex(State())
    /// Its own lock: ``modelStatus()`` reads it while `state` is held.
    private let memory = Mutex<MemorySampler?>(nil)
    private let config: CurrentConfig
    private let scheduler: ModelScheduler
    private let logs: LogHub
    private let tracker: ActivityTracker
    private let log: @Sendable (String) -> Void

    /// A hub over the server's feeds; call ``start()`` once.
    public init(
        config: CurrentConfig, scheduler: ModelScheduler, logs: LogHub, tracker: ActivityTracker,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.config = config
        self.scheduler = scheduler
        self.logs = logs
        self.tracker = tracker
        self.log = log
    }

    deinit {
        state.withLock { state in
            for feed in state.feeds { feed.cancel() }
        }
    }

    /// Subscribes to the feeds.
    public func start() {
        scheduler.observeStates { [weak self] in self?.publishModelStatus() }
        _ = tracker.addListener { [weak self] event in
            // Nobody listening: skip building the frame (this runs on every request).
            guard let self, self.clientCount > 0 else { return }
            switch event {
            case .upsert(let entry):
                self.publish("inflight", .object(["operation": .string("upsert"), "request": entry.json()]))
            case .remove(let id):
                self.publish("inflight", .object(["operation": .string("remove"), "id": .string(String(id))]))
            }
        }
        tracker.addObserver(self)
        let logs = self.logs
        let config = self.config
        let logFeed = Task { [weak self] in
            for await line in await logs.subscribe(source: nil) {
                guard let self else { return }
                self.publish("logData", Self.logData(line))
            }
        }
        let profileFeed = Task { [weak self] in
            for await active in config.profileChanges.subscribe() {
                guard let self else { return }
                self.publish("profileChanged", .object(["active": active.map(JSONValue.string) ?? .null]))
                self.publishModelStatus()
            }
        }
        let reloadFeed = Task { [weak self] in
            for await _ in config.reloadAttempts.subscribe() {
                guard let self else { return }
                self.publish("configReload", self.lastAttempt())
                self.publishModelStatus()
            }
        }
        state.withLock { $0.feeds += [logFeed, profileFeed, reloadFeed] }
    }

    /// Adds each model's memory to `modelStatus` and publishes a `memory` frame on every
    /// sample of `sampler`.
    public func watchMemory(_ sampler: MemorySampler) {
        let feed = Task { [weak self] in
            for await sample in sampler.subscribe() {
                guard let self else { return }
                guard self.clientCount > 0 else { continue }
                self.publish("memory", ManagementRoutes.memoryEvent(sample))
            }
        }
        memory.withLock { $0 = sampler }
        state.withLock { $0.feeds.append(feed) }
    }

    /// A new client's mailbox: the connect sequence (proxy log history, upstream log
    /// history, `modelStatus`, `uiConfig`, `profileChanged`, the in-flight snapshot),
    /// then live frames until the client is dropped or ``disconnect(_:)`` is called.
    func connect() async -> EventMailbox {
        let history = await logs.snapshot(source: nil)
        let proxyText = history.filter { $0.source == LogHub.proxySource }.map { $0.text + "\n" }
        let upstreamText = history.filter { $0.source != LogHub.proxySource }.map { $0.text + "\n" }
        let plan = config.plan
        let sessionHeaders = plan.settings.sessionIDHeaders ?? ProxyCore.defaultSessionHeaders
        let mailbox = EventMailbox(capacity: Self.clientBuffer)
        state.withLock { state in
            guard !state.closed else { return mailbox.close() }
            mailbox.post(
                Self.frame("logData", .object(["source": .string("proxy"), "data": .string(proxyText.joined())])))
            mailbox.post(
                Self.frame("logData", .object(["source": .string("upstream"), "data": .string(upstreamText.joined())])))
            mailbox.post(Self.frame("modelStatus", modelStatus()))
            mailbox.post(
                Self.frame(
                    "uiConfig",
                    .object(["activity": .object(["session_id": .array(sessionHeaders.map(JSONValue.string))])])))
            mailbox.post(
                Self.frame("profileChanged", .object(["active": config.activeProfile.map(JSONValue.string) ?? .null])))
            let requests = tracker.snapshot().map { $0.json() }
            mailbox.post(
                Self.frame("inflight", .object(["operation": .string("snapshot"), "requests": .array(requests)])))
            state.clients[ObjectIdentifier(mailbox)] = mailbox
        }
        return mailbox
    }

    /// Forgets a client's mailbox: its stream ended.
    func disconnect(_ mailbox: EventMailbox) {
        _ = state.withLock { $0.clients.removeValue(forKey: ObjectIdentifier(mailbox)) }
        mailbox.close()
    }

    /// Ends every client's stream, and those of clients that connect later: the server
    /// is shutting down, and an open event stream must not hold its graceful shutdown.
    public func close() {
        let clients = state.withLock { state in
            state.closed = true
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        for client in clients { client.close() }
    }

    /// The number of connected clients.
    public var clientCount: Int { state.withLock { $0.clients.count } }

    /// Sends `activity` `{"id"}` for a stored record (``ActivityObserver``; the history
    /// is registered before the hub, so the record is readable when the frame goes out).
    public func finished(_ record: ActivityRecord) {
        guard clientCount > 0 else { return }
        publish("activity", .object(["id": .integer(record.id)]))
    }

    /// Sends one frame of `type` with `payload` to every client; drops a client whose
    /// buffer is full.
    public func publish(_ type: String, _ payload: JSONValue) {
        let frame = Self.frame(type, payload)
        let dropped = state.withLock { state in
            var dropped: [EventMailbox] = []
            for (id, client) in state.clients where client.post(frame) == .full {
                dropped.append(client)
                state.clients[id] = nil
            }
            return dropped
        }
        for client in dropped { client.close() }
        if !dropped.isEmpty {
            log("/api/events: dropped \(dropped.count) client(s) more than \(Self.clientBuffer) events behind")
        }
    }

    private func publishModelStatus() {
        guard clientCount > 0 else { return }
        publish("modelStatus", modelStatus())
    }

    /// Every local model (sorted by id) with its state, then the peers' models.
    func modelStatus() -> JSONValue {
        let plan = config.plan
        let activity = scheduler.snapshot()
        let memory = self.memory.withLock { $0 }?.latest ?? [:]
        var list: [JSONValue] = []
        for id in plan.models.keys.sorted() {
            let model = plan.models[id]!
            let now = activity[id]
            var item: [String: JSONValue] = [
                "id": .string(id), "name": .string(model.name ?? ""), "description": .string(model.description ?? ""),
                "state": .string(now?.state.rawValue ?? "stopped"), "unlisted": .bool(model.unlisted),
                "peerID": .string(""), "in_flight": .integer(now?.inFlight ?? 0), "queued": .integer(now?.queued ?? 0),
            ]
            if !model.aliases.isEmpty { item["aliases"] = .array(model.aliases.map(JSONValue.string)) }
            if let used = memory[id] { item["memory"] = ManagementRoutes.memoryJSON(used) }
            if let deadline = now?.ttlDeadline {
                item["ttl_remaining_ms"] = .integer(Self.milliseconds(until: deadline))
            }
            if let capabilities = model.capabilities {
                let fields = ModelListing.fields(capabilities)
                item["capabilities"] = fields["capabilities"]
                item["context_length"] = fields["context_length"]
            }
            list.append(.object(item))
        }
        for peerID in plan.peers.keys.sorted() {
            for name in plan.peers[peerID]!.models.sorted() {
                list.append(
                    .object([
                        "id": .string("\(peerID)/\(name)"), "name": .string(name), "description": .string(""),
                        "state": .string(""), "unlisted": .bool(false), "peerID": .string(peerID),
                    ]))
            }
        }
        return .array(list)
    }

    /// Milliseconds from now to `deadline`, 0 once it passed.
    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int {
        let left = ContinuousClock.now.duration(to: deadline)
        return max(0, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
    }

    /// `/api/config/status`'s `lastAttempt`, as JSON.
    private func lastAttempt() -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let bytes = try? encoder.encode(config.status.lastAttempt),
            let value = try? JSONValue(parsing: Array(bytes))
        else { return .null }
        return value
    }

    /// A log line as a `logData` payload; the hub hid its secrets when it kept it.
    private static func logData(_ line: LogLine) -> JSONValue {
        .object([
            "source": .string(line.source == LogHub.proxySource ? "proxy" : "upstream"),
            "data": .string(line.text + "\n"),
        ])
    }

    /// One SSE frame: `event:message`, `data:{"type":…,"data":"<payload JSON as a string>"}`.
    static func frame(_ type: String, _ payload: JSONValue) -> ByteBuffer {
        let envelope: JSONValue = .object(["type": .string(type), "data": .string(payload.serialized())])
        return ByteBuffer(string: "event:message\ndata:\(envelope.serialized())\n\n")
    }
}
