import Foundation
import SluiceCore

/// Runs invocations in execution environments (`reference/runtime-api.md` §2): reuses an idle warm environment of
/// the same code and configuration, launches a new one otherwise (so concurrent invocations get one environment
/// each), and discards an environment after an init error, a timeout or an exit (§2.4).
///
/// It also enforces the limits of issue 4 item 5: a function's reserved concurrency, the number of environments
/// alive at once (an idle environment of another function is stopped to make room; when every one is busy the
/// invocation is throttled), and how long an idle environment stays warm.
public actor FunctionInvoker {
    /// What must match for an environment to be reused: the code and everything the process was started with.
    struct EnvironmentKey: Hashable {
        var functionArn: String
        var version: String
        var codeSha256: String
        var runtime: String?
        var handler: String?
        var memorySize: Int
        var timeout: Int
        var variables: [String: String]

        init(_ function: FunctionConfiguration) {
            functionArn = function.functionArn
            version = function.version
            codeSha256 = function.codeSha256
            runtime = function.runtime
            handler = function.handler
            memorySize = function.memorySize
            timeout = function.timeout
            variables = function.environment?.variables ?? [:]
        }
    }

    public struct Limits: Sendable {
        /// The most execution environments alive at once, idle or busy (`--max-environments`).
        public var maxEnvironments = 64
        /// How long an idle environment is kept warm before it is stopped.
        public var idleTimeout: Duration = .seconds(600)
        /// AWS's limit on an on-demand init (§2.1); past it (plus the function timeout) the invocation times out.
        public var initTimeout: Duration = .seconds(10)

        public init() {}
    }

    struct IdleEnvironment {
        var environment: ExecutionEnvironment
        var generation: Int
        var since: ContinuousClock.Instant
    }

    private let runtimeRoot: URL
    private let endpointURL: @Sendable () -> String?
    private let limits: Limits
    private let logs: FunctionLogs
    private var idle: [EnvironmentKey: [IdleEnvironment]] = [:]
    private var busy: [ObjectIdentifier: ExecutionEnvironment] = [:]
    /// Environments being launched: counted against ``Limits/maxEnvironments`` before they exist.
    private var launching = 0
    /// Invocations in flight per function (unqualified ARN, all versions), for reserved concurrency.
    private var inFlight: [String: Int] = [:]
    /// Bumped per function (unqualified ARN) when its code or configuration changes: environments of an older
    /// generation are stopped instead of kept warm.
    private var generations: [String: Int] = [:]
    private var isShutDown = false

    /// - Parameters:
    ///   - runtimeRoot: where the shipped bootstraps are written (`python/`, `node/`).
    ///   - endpointURL: Sluice's URL, given to functions as `AWS_ENDPOINT_URL` (§5); asked at each launch, since
    ///     the port is known only once bound.
    ///   - limits: environment limits.
    ///   - logs: where each function's log is kept (START / END / REPORT around the process's output).
    public init(
        runtimeRoot: URL, endpointURL: @escaping @Sendable () -> String? = { nil }, limits: Limits = Limits(),
        logs: FunctionLogs = FunctionLogs(directory: nil)
    ) {
        self.runtimeRoot = runtimeRoot
        self.endpointURL = endpointURL
        self.limits = limits
        self.logs = logs
    }

    /// Invokes the function with `payload` and returns its result or function error.
    ///
    /// - Parameters:
    ///   - function: the configuration (of the version) that runs.
    ///   - codeDirectory: the function's unpacked code (the task root).
    ///   - payload: the event bytes, handed to the runtime unchanged.
    ///   - requestId: the invocation id (lowercase UUID, §1.1).
    public func invoke(
        function: FunctionConfiguration, codeDirectory: URL, payload: [UInt8], requestId: String
    ) async throws -> InvocationResult {
        try await invokeReporting(
            function: function, codeDirectory: codeDirectory, payload: payload, requestId: requestId
        ).result
    }

    /// ``invoke(function:codeDirectory:payload:requestId:)`` with the log tail and the process that ran it.
    ///
    /// - Parameters:
    ///   - invokedFunctionArn: the ARN the caller used (qualified when a qualifier was given, §1.1).
    ///   - clientContext: the decoded `X-Amz-Client-Context`.
    ///   - reservedConcurrency: the function's reserved concurrency; at it, the invocation is throttled.
    /// - Throws: ``FunctionInvokerError/throttled(reason:)`` past a limit.
    public func invokeReporting(
        function: FunctionConfiguration, codeDirectory taskRoot: URL, payload: [UInt8], requestId: String,
        invokedFunctionArn: String? = nil, clientContext: String? = nil, reservedConcurrency: Int? = nil
    ) async throws -> InvocationReport {
        guard !isShutDown else { throw FunctionInvokerError.shutDown }
        let functionKey = Self.unqualified(function.functionArn)
        if let reservedConcurrency, inFlight[functionKey, default: 0] >= reservedConcurrency {
            throw FunctionInvokerError.throttled(reason: .reservedFunctionConcurrency)
        }
        inFlight[functionKey, default: 0] += 1
        defer { inFlight[functionKey, default: 1] -= 1 }
        let key = EnvironmentKey(function)
        let invocation = RuntimeInvocation(
            requestID: requestId, payload: payload, invokedFunctionArn: invokedFunctionArn ?? function.functionArn,
            traceID: Self.traceID(), timeoutMilliseconds: function.timeout * 1000, clientContext: clientContext
        )
        // A warm environment may have ended while idle; then one fresh launch follows.
        for _ in 0..<2 {
            let environment: ExecutionEnvironment
            let generation: Int
            var launchedAt: ContinuousClock.Instant?
            var initWatchdog: Task<Void, Never>?
            if let warm = await takeIdle(key) {
                (environment, generation) = (warm.environment, warm.generation)
            } else {
                generation = generations[functionKey, default: 0]
                launchedAt = .now
                guard let launched = try await launch(function, taskRoot: taskRoot) else {
                    let result = InvocationErrorPayload.invalidEntrypoint(requestID: requestId, taskRoot: taskRoot.path)
                    return InvocationReport(result: result, logTail: [], processID: 0, coldStart: true)
                }
                environment = launched
                let limit = limits.initTimeout + .seconds(function.timeout)
                initWatchdog = Task { [handOff = environment.handOff] in
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    handOff.initDeadlinePassed()
                }
            }
            let id = ObjectIdentifier(environment)
            busy[id] = environment
            let start = environment.output.position
            let invokedAt = ContinuousClock.now
            let handedOver = await environment.invoke(invocation)
            initWatchdog?.cancel()
            busy[id] = nil
            let isCold = launchedAt != nil
            let outcome: InvocationOutcome
            var isStopped = false
            if let handedOver, handedOver != .notTaken {
                outcome = handedOver
            } else {
                // A warm environment that ended while idle (or while the invocation waited for it) is replaced,
                // unlogged; a fresh one that ended before taking the invocation failed its init (§2.3).
                await environment.stop()
                guard isCold, !isShutDown else { continue }
                outcome = .exited(environment.exit ?? .status(0))
                isStopped = true
            }
            let logTail = Self.finishLog(
                LoggedInvocation(
                    requestID: requestId, function: function, environment: environment, outcome: outcome,
                    invokedAt: invokedAt, launchedAt: launchedAt, outputStart: start
                )
            )
            if outcome.keepsEnvironment, !isShutDown, generation == generations[functionKey, default: 0] {
                idle[key, default: []].append(
                    IdleEnvironment(environment: environment, generation: generation, since: .now)
                )
            } else if !isStopped {
                await environment.stop()
            }
            guard
                let result = InvocationErrorPayload.result(
                    of: outcome, requestID: requestId, timeoutSeconds: function.timeout
                )
            else { throw FunctionInvokerError.shutDown }
            return InvocationReport(
                result: result, logTail: logTail, processID: environment.processID, coldStart: isCold
            )
        }
        throw FunctionInvokerError.shutDown
    }

    /// The number of idle warm environments of this function's code and configuration.
    public func idleEnvironmentCount(for function: FunctionConfiguration) -> Int {
        idle[EnvironmentKey(function)]?.count ?? 0
    }

    /// Environments alive: idle, busy and being launched.
    public var environmentCount: Int {
        idle.values.reduce(0) { $0 + $1.count } + busy.count + launching
    }

    /// The function's code or configuration changed, or it was deleted: its idle environments stop now, its busy
    /// ones when their invocation ends (issue 4, item 5).
    public func retire(functionArn: String) async {
        let functionKey = Self.unqualified(functionArn)
        generations[functionKey, default: 0] += 1
        var retired: [ExecutionEnvironment] = []
        for (key, environments) in idle where Self.unqualified(key.functionArn) == functionKey {
            retired += environments.map(\.environment)
            idle[key] = nil
        }
        for environment in retired { await environment.stop() }
    }

    /// Stops the environments idle for longer than ``Limits/idleTimeout``.
    public func reapIdle(now: ContinuousClock.Instant = .now) async {
        var expired: [ExecutionEnvironment] = []
        for (key, environments) in idle {
            let (old, fresh) = environments.partitioned { now - $0.since >= limits.idleTimeout }
            guard !old.isEmpty else { continue }
            expired += old.map(\.environment)
            idle[key] = fresh.isEmpty ? nil : fresh
        }
        for environment in expired { await environment.stop() }
    }

    /// Reaps idle environments until the task is cancelled.
    public func reapPeriodically() async {
        let interval = min(limits.idleTimeout / 4, .seconds(30))
        while (try? await Task.sleep(for: interval)) != nil {
            await reapIdle()
        }
    }

    /// Stops every environment, idle or busy; busy invocations end with ``FunctionInvokerError/shutDown``.
    public func shutDown() async {
        isShutDown = true
        let environments = idle.values.flatMap { $0.map(\.environment) } + busy.values
        idle = [:]
        for environment in environments { await environment.stop() }
    }

    /// Launches an environment, making room first; `nil` for a `provided` zip without a `bootstrap`.
    private func launch(_ function: FunctionConfiguration, taskRoot: URL) async throws -> ExecutionEnvironment? {
        if environmentCount >= limits.maxEnvironments {
            guard let evicted = takeLeastRecentlyUsedIdle() else {
                throw FunctionInvokerError.throttled(reason: .concurrentInvocations)
            }
            await evicted.stop()
        }
        launching += 1
        defer { launching -= 1 }
        let plan = try RuntimeLaunchPlan.plan(
            runtime: function.runtime, taskRoot: taskRoot, runtimeRoot: runtimeRoot, memorySize: function.memorySize
        )
        guard case .launch(let launch) = plan else { return nil }
        let environment = try await ExecutionEnvironment.launch(
            launch, function: function, endpointURL: endpointURL(), log: logs.stream(functionArn: function.functionArn)
        )
        if isShutDown {
            await environment.stop()
            throw FunctionInvokerError.shutDown
        }
        return environment
    }

    private func takeIdle(_ key: EnvironmentKey) async -> IdleEnvironment? {
        while let candidate = idle[key]?.popLast() {
            if idle[key]?.isEmpty == true { idle[key] = nil }
            if candidate.environment.isUsable { return candidate }
            await candidate.environment.stop()
        }
        return nil
    }

    private func takeLeastRecentlyUsedIdle() -> ExecutionEnvironment? {
        var oldest: (key: EnvironmentKey, index: Int, since: ContinuousClock.Instant)?
        for (key, environments) in idle {
            for (index, entry) in environments.enumerated() where oldest == nil || entry.since < oldest!.since {
                oldest = (key, index, entry.since)
            }
        }
        guard let oldest else { return nil }
        let environment = idle[oldest.key]!.remove(at: oldest.index).environment
        if idle[oldest.key]!.isEmpty { idle[oldest.key] = nil }
        return environment
    }

    /// `arn:aws:lambda:r:a:function:name` of a possibly qualified function ARN.
    static func unqualified(_ arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 7, omittingEmptySubsequences: false)
        return parts.count > 7 ? parts[0..<7].joined(separator: ":") : arn
    }

    /// An X-Ray trace header as AWS sends it (§1.1).
    static func traceID() -> String {
        let time = String(Int(Date().timeIntervalSince1970), radix: 16)
        let hex = { (count: Int) in
            String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
        }
        return "Root=1-\(time)-\(hex(24));Parent=\(hex(16));Sampled=0"
    }
}

extension Array {
    /// The elements that satisfy `predicate` and those that do not, in order.
    fileprivate func partitioned(by predicate: (Element) -> Bool) -> (matching: [Element], rest: [Element]) {
        var matching: [Element] = []
        var rest: [Element] = []
        for element in self {
            if predicate(element) { matching.append(element) } else { rest.append(element) }
        }
        return (matching, rest)
    }
}
