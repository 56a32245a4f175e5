/// The bounds a parameter lock keeps a numeric request parameter within.
///
/// Either bound may be missing. When `min` is greater than `max`, `max` wins
/// (clamping raises to `min` first, then lowers to `max`); the config checker
/// reports such a range before it gets here.
public struct ClampRange: Sendable, Hashable, Codable {
    /// The lowest value allowed, if any.
    public var min: Double?
    /// The highest value allowed, if any.
    public var max: Double?

    /// Creates a range; `nil` leaves that side open.
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }
}

/// The effective parameter locks of one model: what is done to every JSON request
/// body routed to it.
///
/// ```swift
/// let locks = ParameterLocks(
///     strip: ["top_k"], defaults: ["temperature": .double(0.7)],
///     set: ["stream_options": .object(["include_usage": .bool(true)])],
///     clamp: ["max_tokens": ClampRange(max: 4096)])
/// let body = try locks.apply(toJSON: Array(#"{"model":"m","max_tokens":10000}"#.utf8))
/// ```
///
/// The key `model` is never stripped, defaulted, set or clamped.
public struct ParameterLocks: Sendable, Hashable, Codable {
    /// Keys removed from the body.
    public var strip: [String]
    /// Values written only when the client did not send the key.
    public var defaults: [String: JSONValue]
    /// Values written whatever the client sent.
    public var set: [String: JSONValue]
    /// Bounds for numeric values.
    public var clamp: [String: ClampRange]

    /// The key no lock may touch.
    public static let protectedKey = "model"

    /// Creates locks; every kind defaults to none.
    public init(
        strip: [String] = [], defaults: [String: JSONValue] = [:], set: [String: JSONValue] = [:],
        clamp: [String: ClampRange] = [:]
    ) {
        self.strip = strip
        self.defaults = defaults
        self.set = set
        self.clamp = clamp
    }

    /// True when no lock would change any body.
    public var isEmpty: Bool {
        strip.isEmpty && defaults.isEmpty && set.isEmpty && clamp.isEmpty
    }

    /// `body` with the locks applied, in the order strip, default, set, clamp.
    ///
    /// Only a top-level object is changed; any other value comes back as it is.
    /// A default applies only when the key is absent (an explicit `null` counts as
    /// present). Clamping touches only numbers: an integer stays an integer when
    /// the bound it is moved to is integral, otherwise it becomes a double.
    public func apply(to body: JSONValue) -> JSONValue {
        guard case .object(var object) = body else { return body }
        let protected = Self.protectedKey
        for key in strip where key != protected {
            object.removeValue(forKey: key)
        }
        for (key, value) in defaults where key != protected && object[key] == nil {
            object[key] = value
        }
        for (key, value) in set where key != protected {
            object[key] = value
        }
        for (key, range) in clamp where key != protected {
            if let value = object[key], let clamped = Self.clamped(value, to: range) {
                object[key] = clamped
            }
        }
        return .object(object)
    }

    /// `bytes` parsed as JSON, with the locks applied, serialised compactly with
    /// sorted keys.
    ///
    /// The body is re-serialised even when no lock changes it.
    public func apply(toJSON bytes: [UInt8]) throws(JSONParseError) -> [UInt8] {
        let body = try JSONValue(parsing: bytes)
        return Array(apply(to: body).serialized().utf8)
    }

    /// The clamped value, or nil when `value` is not a number.
    private static func clamped(_ value: JSONValue, to range: ClampRange) -> JSONValue? {
        switch value {
        case .integer(let integer):
            var result = value
            if let min = range.min, Double(integer) < min {
                result = numeric(min)
            }
            if let max = range.max, let current = result.numberValue, current > max {
                result = numeric(max)
            }
            return result
        case .double(var number):
            if let min = range.min, number < min { number = min }
            if let max = range.max, number > max { number = max }
            return .double(number)
        default:
            return nil
        }
    }

    /// A bound as an integer when it is integral and fits `Int`, else a double.
    private static func numeric(_ bound: Double) -> JSONValue {
        if bound.rounded() == bound, let integer = Int(exactly: bound) {
            return .integer(integer)
        }
        return .double(bound)
    }
}
