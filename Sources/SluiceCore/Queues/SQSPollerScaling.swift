/// How many batches of one SQS mapping may be received and invoked at the same time (`reference/semantics.md` §7).
///
/// AWS starts an SQS mapping with 5 concurrent batches and adds pollers while messages keep coming, up to about
/// 1,000 concurrent batches; `ScalingConfig.MaximumConcurrency` (2–1000) and the function's reserved concurrency cap
/// it, and throttled batches return to the queue. The reference gives no rates for growing and shrinking, so Sluice
/// **chooses** (also in `docs/compatibility.md`, "SQS mappings"):
///
/// - Start at ``Configuration/initialConcurrency`` (5), or the cap if lower.
/// - Grow by one for a receive that returned messages, at most once per ``Configuration/growthInterval`` (1 s: the
///   older docs' "up to 60 more per minute"), up to ``Configuration/ceiling`` (1,000) and the caps.
/// - Shrink by one for a receive that returned nothing (a long poll that ran out), never below the start value:
///   an idle mapping keeps its 5 pollers long-polling, as on AWS.
/// - Shrink by one for a throttled invocation, down to 1, and do not grow for ``Configuration/throttleHold``
///   (60 s) after it, so the mapping settles below the limit instead of bouncing on it.
/// - A reserved concurrency of 0 caps the mapping at 0: nothing is received, as the function cannot run.
///
/// A lower cap applies at once when the settings change; growth resumes from the capped value.
public struct SQSPollerScaling: Sendable, Equatable {
    /// The scaling numbers; AWS's are the defaults.
    public struct Configuration: Sendable, Equatable {
        /// Concurrent batches of a new (or idle) mapping.
        public var initialConcurrency: Int
        /// The most concurrent batches of one mapping without `MaximumConcurrency`.
        public var ceiling: Int
        /// The shortest time between two growth steps.
        public var growthInterval: Duration
        /// How long after a throttle the target does not grow.
        public var throttleHold: Duration

        public init(
            initialConcurrency: Int = 5, ceiling: Int = 1000, growthInterval: Duration = .seconds(1),
            throttleHold: Duration = .seconds(60)
        ) {
            self.initialConcurrency = initialConcurrency
            self.ceiling = ceiling
            self.growthInterval = growthInterval
            self.throttleHold = throttleHold
        }
    }

    /// The limits a mapping's settings and its function put on it.
    public struct Settings: Sendable, Equatable {
        /// `ScalingConfig.MaximumConcurrency` (2–1000), `nil` when not set.
        public var maximumConcurrency: Int?
        /// The function's `ReservedConcurrentExecutions`, `nil` when it has none.
        public var reservedConcurrency: Int?

        /// - Parameters:
        ///   - maximumConcurrency: `ScalingConfig.MaximumConcurrency`, validated on Create/Update.
        ///   - reservedConcurrency: the function's reserved concurrency.
        public init(maximumConcurrency: Int? = nil, reservedConcurrency: Int? = nil) {
            self.maximumConcurrency = maximumConcurrency
            self.reservedConcurrency = reservedConcurrency
        }

        /// The settings of a mapping as stored, with its function's reserved concurrency.
        public init(_ configuration: EventSourceMappingConfiguration, reservedConcurrency: Int?) {
            self.init(
                maximumConcurrency: configuration.scalingConfig?.maximumConcurrency,
                reservedConcurrency: reservedConcurrency
            )
        }
    }

    /// What the poller does next.
    public enum Action: Sendable, Equatable {
        /// Run this many concurrent batches from now on (receive more, or let finishing ones stop).
        case scale(to: Int)
        /// Keep the current concurrency.
        case none
    }

    public let configuration: Configuration
    public private(set) var settings: Settings
    /// How many batches may be in flight now.
    public private(set) var target: Int
    /// The earliest time the target may grow again.
    private var nextGrowth: Timestamp?

    /// - Parameters:
    ///   - settings: the mapping's caps.
    ///   - configuration: the scaling numbers.
    public init(settings: Settings, configuration: Configuration = .init()) {
        self.configuration = configuration
        self.settings = settings
        self.target = 0
        self.target = min(configuration.initialConcurrency, cap)
    }

    /// The most concurrent batches the settings allow.
    public var cap: Int {
        [configuration.ceiling, settings.maximumConcurrency, settings.reservedConcurrency]
            .compactMap { $0 }.min().map { max(0, $0) } ?? 0
    }

    // MARK: Events

    /// The mapping started (or was enabled): run the initial concurrency.
    public mutating func started(now: Timestamp) -> Action {
        target = min(configuration.initialConcurrency, cap)
        nextGrowth = now
        return .scale(to: target)
    }

    /// A receive returned at least one message (before filtering).
    public mutating func messagesReceived(now: Timestamp) -> Action {
        guard target < cap, nextGrowth.map({ now >= $0 }) ?? true else { return .none }
        nextGrowth = now.adding(configuration.growthInterval)
        return set(target + 1)
    }

    /// A receive came back empty: the queue has nothing visible.
    public mutating func receivedNothing(now: Timestamp) -> Action {
        let floor = min(configuration.initialConcurrency, cap)
        guard target > floor else { return .none }
        return set(target - 1)
    }

    /// An invocation was throttled (429): its batch returns to the queue.
    public mutating func invocationThrottled(now: Timestamp) -> Action {
        nextGrowth = now.adding(configuration.throttleHold)
        return set(max(min(1, cap), target - 1))
    }

    /// The mapping's `ScalingConfig` or the function's reserved concurrency changed: a lower cap applies at once; a
    /// mapping held at 0 by a reserved concurrency of 0 restarts with one batch, and grows from there.
    public mutating func settingsChanged(_ settings: Settings, now: Timestamp) -> Action {
        self.settings = settings
        return set(min(max(target, 1), cap))
    }

    private mutating func set(_ value: Int) -> Action {
        guard value != target else { return .none }
        target = value
        return .scale(to: value)
    }
}
