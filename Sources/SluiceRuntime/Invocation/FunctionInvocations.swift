import Foundation
import SluiceCore
import SluiceStore

/// Invoke, as the Invoke API and the mapping engine call it in-process (`reference/runtime-api.md` §3): resolves
/// the function and qualifier through the registry, runs the version's code in the invoker, and answers Lambda's
/// errors for what is not a function error (unknown function, a function not `Active`, throttling).
public final class FunctionInvocations: Sendable {
    /// What a synchronous invocation returns.
    public struct Output: Sendable {
        public var result: InvocationResult
        /// `X-Amz-Executed-Version`: `$LATEST` or the version number an alias resolved to.
        public var executedVersion: String
        /// The end of this invocation's log, for `LogType: Tail` (at most 4 KB).
        public var logTail: [UInt8]
    }

    /// Lambda's delays before the second and the third attempt of a failed `Event` invocation.
    public static let eventRetryDelays: [Duration] = [.seconds(60), .seconds(120)]

    let functions: FunctionRegistry
    let invoker: FunctionInvoker
    let events: AsyncInvocationQueue

    /// - Parameters:
    ///   - eventStore: where queued `Event` invocations are kept across restarts (`nil`: in memory only).
    ///   - eventRetryDelays: the delays before retrying a failed `Event` invocation (Lambda: 1 and 2 minutes).
    public init(
        functions: FunctionRegistry, invoker: FunctionInvoker, eventStore: (any BatchStore)? = nil,
        eventRetryDelays: [Duration] = FunctionInvocations.eventRetryDelays,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970) }
    ) {
        self.functions = functions
        self.invoker = invoker
        self.events = AsyncInvocationQueue(retryDelays: eventRetryDelays, store: eventStore, now: now) { event in
            // A full ARN: its region and account are the function's, not the identity's.
            let reference = try FunctionReference(
                parsing: event.function, identity: RequestIdentity(region: "us-east-1")
            )
            let target = try await Self.target(reference, functions: functions)
            return try await Self.run(
                target, payload: Array(event.payload.utf8), requestId: event.requestId, clientContext: nil,
                invoker: invoker
            ).result
        }
    }

    /// Runs the `Event` invocations a previous run of Sluice accepted but had not finished.
    public func restoreQueuedEvents() async throws {
        try await events.restore()
    }

    /// A synchronous (`RequestResponse`) invocation.
    ///
    /// - Parameters:
    ///   - reference: the function, with the qualifier the caller gave.
    ///   - payload: the event bytes.
    ///   - requestId: the invocation id, lowercase UUID (`x-amzn-RequestId`).
    ///   - clientContext: the decoded `X-Amz-Client-Context`.
    public func invoke(
        _ reference: FunctionReference, payload: [UInt8], requestId: String, clientContext: String? = nil
    ) async throws(AWSError) -> Output {
        let target = try await Self.target(reference, functions: functions)
        return try await Self.run(
            target, payload: payload, requestId: requestId, clientContext: clientContext, invoker: invoker
        )
    }

    /// `DryRun`: the function and qualifier exist and can run.
    public func check(_ reference: FunctionReference) async throws(AWSError) {
        _ = try await Self.target(reference, functions: functions)
    }

    /// An `Event` invocation: the function is checked now, then the event is stored and run in the background,
    /// retried twice on a function error and kept retrying while throttled, as Lambda does with asynchronous
    /// invocations.
    ///
    /// - Parameter payload: JSON (the Invoke API checked it).
    public func enqueue(_ reference: FunctionReference, payload: [UInt8], requestId: String) async throws(AWSError) {
        _ = try await Self.target(reference, functions: functions)
        do {
            try await events.add(
                requestId: requestId, function: reference.arn, payload: String(decoding: payload, as: UTF8.self)
            )
        } catch {
            throw .service("Could not queue the event: \(error)")
        }
    }

    /// The function's code or configuration changed or it was deleted: its warm environments are retired.
    public func retire(functionArn: String) async {
        await invoker.retire(functionArn: functionArn)
    }

    /// Stops the queue and every environment.
    public func shutDown() async {
        await events.shutDown()
        await invoker.shutDown()
    }

    private static func target(_ reference: FunctionReference, functions: FunctionRegistry) async throws(AWSError)
        -> InvocationTarget
    {
        do {
            return try await functions.invocationTarget(reference)
        } catch let error as AWSError {
            throw error
        } catch {
            throw .service("Could not prepare the function: \(error)")
        }
    }

    private static func run(
        _ target: InvocationTarget, payload: [UInt8], requestId: String, clientContext: String?,
        invoker: FunctionInvoker
    ) async throws(AWSError) -> Output
    {
        do {
            let report = try await invoker.invokeReporting(
                function: target.configuration, codeDirectory: target.codeDirectory, payload: payload,
                requestId: requestId, invokedFunctionArn: target.invokedFunctionArn, clientContext: clientContext,
                reservedConcurrency: target.reservedConcurrency
            )
            return Output(
                result: report.result, executedVersion: target.configuration.version, logTail: report.logTail
            )
        } catch FunctionInvokerError.throttled(let reason) {
            throw .tooManyRequests(reason: reason.rawValue)
        } catch FunctionInvokerError.shutDown {
            throw .service("Sluice is shutting down; the invocation was not completed.")
        } catch {
            throw .service("The function could not be run: \(error)")
        }
    }
}
