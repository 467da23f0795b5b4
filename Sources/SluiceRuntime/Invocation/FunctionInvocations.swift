import Foundation
import SluiceCore

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

    let functions: FunctionRegistry
    let invoker: FunctionInvoker
    let events: AsyncInvocationQueue

    public init(functions: FunctionRegistry, invoker: FunctionInvoker, eventRetryDelays: [Duration]? = nil) {
        self.functions = functions
        self.invoker = invoker
        self.events = AsyncInvocationQueue(retryDelays: eventRetryDelays ?? AsyncInvocationQueue.awsRetryDelays)
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
        let target = try await target(reference)
        return try await run(target, payload: payload, requestId: requestId, clientContext: clientContext)
    }

    /// `DryRun`: the function and qualifier exist and can run.
    public func check(_ reference: FunctionReference) async throws(AWSError) {
        _ = try await target(reference)
    }

    /// An `Event` invocation: the function is checked now, then the event is queued and run in the background,
    /// retried twice on a function error and kept retrying while throttled, as Lambda does with asynchronous
    /// invocations.
    public func enqueue(_ reference: FunctionReference, payload: [UInt8], requestId: String) async throws(AWSError) {
        _ = try await target(reference)
        await events.add(AsyncInvocationQueue.Event(requestId: requestId, payload: payload)) { event in
            let target = try await self.target(reference)
            return try await self.run(target, payload: event.payload, requestId: event.requestId, clientContext: nil)
                .result
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

    private func target(_ reference: FunctionReference) async throws(AWSError) -> InvocationTarget {
        do {
            return try await functions.invocationTarget(reference)
        } catch let error as AWSError {
            throw error
        } catch {
            throw .service("Could not prepare the function: \(error)")
        }
    }

    private func run(_ target: InvocationTarget, payload: [UInt8], requestId: String, clientContext: String?)
        async throws(AWSError) -> Output
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
