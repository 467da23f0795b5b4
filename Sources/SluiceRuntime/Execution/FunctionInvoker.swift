import Foundation
import SluiceCore

/// Runs invocations in execution environments (`reference/runtime-api.md` §2): reuses an idle warm environment of
/// the same code and configuration, launches a new one otherwise (so concurrent invocations get one environment
/// each), and discards an environment after an init error, a timeout or an exit (§2.4).
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

    private let runtimeRoot: URL
    private let endpointURL: @Sendable () -> String?
    private var idle: [EnvironmentKey: [ExecutionEnvironment]] = [:]
    private var busy: [ObjectIdentifier: ExecutionEnvironment] = [:]
    private var isShutDown = false

    /// - Parameters:
    ///   - runtimeRoot: where the shipped bootstraps are written (`python/`, `node/`).
    ///   - endpointURL: Sluice's URL, given to functions as `AWS_ENDPOINT_URL` (§5); asked at each launch, since
    ///     the port is known only once bound.
    public init(runtimeRoot: URL, endpointURL: @escaping @Sendable () -> String? = { nil }) {
        self.runtimeRoot = runtimeRoot
        self.endpointURL = endpointURL
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
    /// - Parameter invokedFunctionArn: the ARN the caller used (qualified when a qualifier was given, §1.1).
    public func invokeReporting(
        function: FunctionConfiguration, codeDirectory taskRoot: URL, payload: [UInt8], requestId: String,
        invokedFunctionArn: String? = nil
    ) async throws -> InvocationReport {
        guard !isShutDown else { throw FunctionInvokerError.shutDown }
        let key = EnvironmentKey(function)
        let invocation = RuntimeInvocation(
            requestID: requestId, payload: payload, invokedFunctionArn: invokedFunctionArn ?? function.functionArn,
            traceID: Self.traceID(), timeoutMilliseconds: function.timeout * 1000
        )
        // A warm environment may have ended while idle; then one fresh launch follows.
        for _ in 0..<2 {
            var coldStart = false
            let environment: ExecutionEnvironment
            if let warm = await takeIdle(key) {
                environment = warm
            } else {
                let plan = try RuntimeLaunchPlan.plan(
                    runtime: function.runtime, taskRoot: taskRoot, runtimeRoot: runtimeRoot
                )
                guard case .launch(let launch) = plan else {
                    let result = InvocationErrorPayload.invalidEntrypoint(requestID: requestId, taskRoot: taskRoot.path)
                    return InvocationReport(result: result, logTail: [], processID: 0, coldStart: true)
                }
                environment = try await ExecutionEnvironment.launch(
                    launch, function: function, endpointURL: endpointURL()
                )
                coldStart = true
                if isShutDown {
                    await environment.stop()
                    throw FunctionInvokerError.shutDown
                }
            }
            let id = ObjectIdentifier(environment)
            busy[id] = environment
            let start = environment.output.position
            let outcome = await environment.invoke(invocation)
            busy[id] = nil
            guard let outcome else {
                await environment.stop()
                continue
            }
            let logTail = Array(environment.output.output(since: start).suffix(OutputCapture.tailBytes))
            if outcome.keepsEnvironment && !isShutDown {
                idle[key, default: []].append(environment)
            } else {
                await environment.stop()
            }
            guard
                let result = InvocationErrorPayload.result(
                    of: outcome, requestID: requestId, timeoutSeconds: function.timeout
                )
            else { throw FunctionInvokerError.shutDown }
            return InvocationReport(
                result: result, logTail: logTail, processID: environment.processID, coldStart: coldStart
            )
        }
        throw FunctionInvokerError.shutDown
    }

    /// The number of idle warm environments of this function's code and configuration.
    public func idleEnvironmentCount(for function: FunctionConfiguration) -> Int {
        idle[EnvironmentKey(function)]?.count ?? 0
    }

    /// Stops every environment, idle or busy; busy invocations end with ``FunctionInvokerError/shutDown``.
    public func shutDown() async {
        isShutDown = true
        let environments = idle.values.flatMap { $0 } + busy.values
        idle = [:]
        for environment in environments { await environment.stop() }
    }

    private func takeIdle(_ key: EnvironmentKey) async -> ExecutionEnvironment? {
        while let environment = idle[key]?.popLast() {
            if environment.isUsable { return environment }
            await environment.stop()
        }
        return nil
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
