import ConfigLang
import FoundationEssentials

/// Collects log lines from the proxy and every backend, keeps the recent ones, and
/// fans new ones out to live subscribers (`/logs`, `/logs/stream/…`, the UI).
///
/// Each source keeps its own bounded ring, so a chatty backend cannot push another
/// model's lines out. Sources:
/// - ``proxySource`` (`"proxy"`): the server's own lines;
/// - a model ID: that backend's stdout and stderr, one entry per line;
/// - ``upstreamSource`` (`"upstream"`): the aggregate of every source but the proxy.
///   Lines appended under a model ID appear here too, with their model ID as source.
///
/// ```swift
/// let hub = LogHub()
/// let live = await hub.subscribe(source: "llama-8b")   // only lines from now on
/// await hub.append("loading model", source: "llama-8b")
/// let recent = await hub.snapshot(source: nil)          // everything, oldest first
/// ```
public actor LogHub {
    /// The source name of the proxy's own lines.
    public static let proxySource = "proxy"
    /// The aggregate source of every backend's lines.
    public static let upstreamSource = "upstream"

    private let maxLines: Int
    private let maxBytes: Int
    private var rings: [String: LogRing] = [:]
    private var nextSequence: UInt64 = 1
    private var subscribers: [Int: Subscriber] = [:]
    private var nextSubscriberID = 0
    private var hiding = SecretHiding(secrets: [])

    private struct Subscriber {
        var source: String?
        var continuation: AsyncStream<LogLine>.Continuation
    }

    /// Creates a hub that keeps, per source, at most `maxLines` lines and `maxBytes`
    /// bytes of text.
    public init(maxLines: Int = 1000, maxBytes: Int = 1 << 20) {
        precondition(maxLines > 0 && maxBytes > 0, "a log hub needs room for at least one line")
        self.maxLines = maxLines
        self.maxBytes = maxBytes
    }

    /// Records `line` (without its terminator) under `source` and hands it to every
    /// matching subscriber.
    /// Every secret in it (``hideSecrets(_:)``) is replaced before it is kept, so no
    /// reader of the hub (`/logs`, the event stream) ever sees one.
    public func append(_ line: String, source: String) {
        let entry = LogLine(timestamp: Date(), source: source, text: hiding.text(line), sequence: nextSequence)
        nextSequence += 1
        store(entry, in: source)
        if source != Self.proxySource && source != Self.upstreamSource {
            store(entry, in: Self.upstreamSource)
        }
        for subscriber in subscribers.values where Self.matches(entry, subscriber.source) {
            subscriber.continuation.yield(entry)
        }
    }

    /// From now on, hides `secrets` (the values of the config's `${env.…}` references)
    /// in every line appended.
    public func hideSecrets(_ secrets: Set<String>) {
        hiding = SecretHiding(secrets: secrets)
    }

    /// The lines still held for `source`, oldest first; nil means every source,
    /// merged in arrival order.
    public func snapshot(source: String?) -> [LogLine] {
        guard let source else {
            let proxy = rings[Self.proxySource]?.lines ?? []
            let upstream = rings[Self.upstreamSource]?.lines ?? []
            return (proxy + upstream).sorted { $0.sequence < $1.sequence }
        }
        return Array(rings[source]?.lines ?? [])
    }

    /// A stream of the lines appended from now on for `source` (nil = every source,
    /// ``upstreamSource`` = every backend). Replays nothing: pair it with
    /// ``snapshot(source:)`` for history. Ending the iteration unsubscribes.
    ///
    /// A consumer that falls more than 10 000 lines behind loses the oldest of them.
    public func subscribe(source: String?) -> AsyncStream<LogLine> {
        let id = nextSubscriberID
        nextSubscriberID += 1
        let (stream, continuation) = AsyncStream.makeStream(
            of: LogLine.self, bufferingPolicy: .bufferingNewest(10_000))
        subscribers[id] = Subscriber(source: source, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            Task { await self.unsubscribe(id) }
        }
        return stream
    }

    /// How many live subscribers the hub has (for tests and metrics).
    public var subscriberCount: Int { subscribers.count }

    private func unsubscribe(_ id: Int) {
        subscribers[id] = nil
    }

    private func store(_ line: LogLine, in source: String) {
        rings[source, default: LogRing(maxLines: maxLines, maxBytes: maxBytes)].append(line)
    }

    private static func matches(_ line: LogLine, _ filter: String?) -> Bool {
        switch filter {
        case nil: true
        case Self.upstreamSource: line.source != Self.proxySource
        case let source?: line.source == source
        }
    }
}
