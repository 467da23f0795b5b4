/// One invocation as the runtime receives it from `invocation/next` (`reference/runtime-api.md` §1.1).
public struct RuntimeInvocation: Sendable, Equatable {
    public var requestID: String
    public var payload: [UInt8]
    public var invokedFunctionArn: String
    public var traceID: String
    /// `X-Amz-Client-Context` decoded: JSON text for `Lambda-Runtime-Client-Context` (§1.1).
    public var clientContext: String?
    /// The function's `Timeout` in milliseconds; the deadline is set when the runtime receives the event.
    public var timeoutMilliseconds: Int

    public init(
        requestID: String, payload: [UInt8], invokedFunctionArn: String, traceID: String, timeoutMilliseconds: Int,
        clientContext: String? = nil
    ) {
        self.clientContext = clientContext
        self.requestID = requestID
        self.payload = payload
        self.invokedFunctionArn = invokedFunctionArn
        self.traceID = traceID
        self.timeoutMilliseconds = timeoutMilliseconds
    }
}

/// The Runtime API's answer to a runtime's POST (`reference/runtime-api.md` §1).
public enum RuntimeReply: Sendable, Equatable {
    case accepted
    case invalidRequestID
    case invalidStateTransition
    case payloadTooLarge

    public var status: Int {
        switch self {
        case .accepted: 202
        case .invalidRequestID: 400
        case .invalidStateTransition: 403
        case .payloadTooLarge: 413
        }
    }

    public var body: String {
        switch self {
        case .accepted: #"{"status":"OK"}"#
        case .invalidRequestID: #"{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}"#
        case .invalidStateTransition:
            #"{"errorMessage":"State transition is not allowed","errorType":"InvalidStateTransition"}"#
        case .payloadTooLarge:
            #"{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","#
                + #""errorType":"RequestEntityTooLarge"}"#
        }
    }
}

/// How an invocation ended, as the environment saw it (`reference/runtime-api.md` §2.3).
public enum InvocationOutcome: Sendable, Equatable {
    case response([UInt8])
    case error([UInt8])
    case responseTooLarge
    case initError([UInt8])
    case timedOut
    case exited(ProcessExit)
    /// The environment was shut down before the invocation ended.
    case shutDown
    /// The process ended while the invocation waited for its next `next`, before it took it: a warm environment
    /// that was ending anyway (e.g. exiting after an uncaught error); the invocation belongs on another one.
    case notTaken

    /// Whether the environment may take another invocation afterwards (§2.4: only after a response or an error).
    public var keepsEnvironment: Bool {
        switch self {
        case .response, .error, .responseTooLarge: true
        case .initError, .timedOut, .exited, .shutDown, .notTaken: false
        }
    }
}

/// How the runtime process ended.
public enum ProcessExit: Sendable, Equatable {
    case status(Int32)
    case signal(Int32)
}

/// The `next` ↔ invoke hand-off of one execution environment: events in, actions out, no I/O
/// (`reference/runtime-api.md` §1, §2; STYLE "Concurrency").
///
/// The runtime is ready when it first calls `next`; until then `/init/error` is allowed. One invocation at a time.
public struct InvocationStateMachine: Sendable {
    enum State: Sendable, Equatable {
        /// Process launched, `next` not yet called; an invocation may already wait.
        case initializing(queued: RuntimeInvocation?)
        /// Initialized, runtime not in `next`, nothing to do.
        case idle
        /// Initialized, an invocation waits for the runtime's next `next`.
        case queued(RuntimeInvocation)
        /// The runtime is parked in `next`.
        case waitingForNext
        /// The runtime holds this invocation.
        case running(RuntimeInvocation)
        case closed
    }

    public enum Action: Sendable, Equatable {
        /// Keep the `next` request waiting.
        case park
        /// The invocation waits until the runtime calls `next`.
        case queue
        /// Answer `next` (the current request, or the parked one) with this invocation; start its deadline.
        case handOut(RuntimeInvocation)
        /// Answer the runtime's request; nothing else changes.
        case reply(RuntimeReply)
        /// The invocation ended: resume the invoker and answer the runtime's request.
        case complete(InvocationOutcome, reply: RuntimeReply)
        /// The environment ends: stop the process, resume the invoker (if one waits) and release a parked `next`.
        case terminate(InvocationOutcome?, reply: RuntimeReply?, releaseParkedNext: Bool)
        /// This environment cannot take the invocation (busy or closed); use another.
        case refuse
        case none
    }

    private(set) var state: State = .initializing(queued: nil)

    public init() {}

    public var isClosed: Bool { state == .closed }

    /// The runtime called `GET /runtime/invocation/next`.
    public mutating func nextRequested() -> Action {
        switch state {
        case .initializing(let queued?), .queued(let queued):
            state = .running(queued)
            return .handOut(queued)
        case .initializing(nil), .idle:
            state = .waitingForNext
            return .park
        case .waitingForNext, .running, .closed:
            return .reply(.invalidStateTransition)
        }
    }

    /// The invoker hands over an invocation.
    public mutating func invoke(_ invocation: RuntimeInvocation) -> Action {
        switch state {
        case .initializing(nil):
            state = .initializing(queued: invocation)
            return .queue
        case .idle:
            state = .queued(invocation)
            return .queue
        case .waitingForNext:
            state = .running(invocation)
            return .handOut(invocation)
        case .initializing(.some), .queued, .running, .closed:
            return .refuse
        }
    }

    /// `POST /runtime/invocation/{id}/response` with a body within the limit.
    public mutating func responded(requestID: String, payload: [UInt8]) -> Action {
        finish(requestID: requestID, outcome: .response(payload), reply: .accepted)
    }

    /// `POST /runtime/invocation/{id}/error`.
    public mutating func failed(requestID: String, body: [UInt8]) -> Action {
        finish(requestID: requestID, outcome: .error(body), reply: .accepted)
    }

    /// `POST /runtime/invocation/{id}/response` with a body over 6 MB (§1.2).
    public mutating func respondedTooLarge(requestID: String) -> Action {
        finish(requestID: requestID, outcome: .responseTooLarge, reply: .payloadTooLarge)
    }

    private mutating func finish(requestID: String, outcome: InvocationOutcome, reply: RuntimeReply) -> Action {
        switch state {
        case .running(let invocation) where invocation.requestID == requestID:
            state = .idle
            return .complete(outcome, reply: reply)
        case .running, .idle, .queued, .waitingForNext:
            return .reply(.invalidRequestID)
        case .initializing, .closed:
            return .reply(.invalidStateTransition)
        }
    }

    /// `POST /runtime/init/error`: allowed only before the first `next`; the environment is discarded (§2.3).
    public mutating func initFailed(body: [UInt8]) -> Action {
        guard case .initializing(let queued) = state else { return .reply(.invalidStateTransition) }
        state = .closed
        return .terminate(queued.map { _ in .initError(body) }, reply: .accepted, releaseParkedNext: false)
    }

    /// The invocation's deadline passed (§2.3: the environment is killed).
    public mutating func deadlinePassed(requestID: String) -> Action {
        guard case .running(let invocation) = state, invocation.requestID == requestID else { return .none }
        state = .closed
        return .terminate(.timedOut, reply: nil, releaseParkedNext: false)
    }

    /// The runtime has not finished initializing within the init limit (§2.1) while an invocation waits: the
    /// environment is killed and the invocation times out.
    public mutating func initDeadlinePassed() -> Action {
        guard case .initializing(.some) = state else { return .none }
        state = .closed
        return .terminate(.timedOut, reply: nil, releaseParkedNext: false)
    }

    /// The runtime process ended.
    public mutating func processExited(_ exit: ProcessExit) -> Action {
        if case .queued = state {
            state = .closed
            return .terminate(.notTaken, reply: nil, releaseParkedNext: false)
        }
        return close(outcome: .exited(exit))
    }

    /// The environment is stopped from outside.
    public mutating func shutDown() -> Action {
        close(outcome: .shutDown)
    }

    private mutating func close(outcome: InvocationOutcome) -> Action {
        let previous = state
        state = .closed
        switch previous {
        case .initializing(let queued):
            return .terminate(queued.map { _ in outcome }, reply: nil, releaseParkedNext: false)
        case .queued, .running:
            return .terminate(outcome, reply: nil, releaseParkedNext: false)
        case .idle:
            return .terminate(nil, reply: nil, releaseParkedNext: false)
        case .waitingForNext:
            return .terminate(nil, reply: nil, releaseParkedNext: true)
        case .closed:
            return .none
        }
    }
}
